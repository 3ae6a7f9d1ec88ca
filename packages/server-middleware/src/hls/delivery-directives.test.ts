import { describe, expect, it } from 'vitest';
import {
  blockingReloadTimeoutMs,
  isTooFarAhead,
  readDeliveryDirectives,
  withoutDeliveryDirectives,
} from './delivery-directives';

describe('readDeliveryDirectives', () => {
  it('reads no directive from a plain or token-only query', () => {
    expect(readDeliveryDirectives('')).toEqual({ kind: 'none' });
    expect(readDeliveryDirectives('token=abc')).toEqual({ kind: 'none' });
  });

  it('blocks for _HLS_msn, with or without _HLS_part (no parts: the whole segment)', () => {
    expect(readDeliveryDirectives('_HLS_msn=1764601234')).toEqual({ kind: 'block', msn: 1764601234 });
    expect(readDeliveryDirectives('token=a&_HLS_msn=12&_HLS_part=0')).toEqual({ kind: 'block', msn: 12 });
  });

  it('refuses _HLS_part alone and directives that are not numbers', () => {
    expect(readDeliveryDirectives('_HLS_part=1')).toMatchObject({ kind: 'invalid' });
    expect(readDeliveryDirectives('_HLS_msn=-1')).toMatchObject({ kind: 'invalid' });
    expect(readDeliveryDirectives('_HLS_msn=1e3')).toMatchObject({ kind: 'invalid' });
    expect(readDeliveryDirectives('_HLS_msn=5&_HLS_part=x')).toMatchObject({ kind: 'invalid' });
  });
});

describe('withoutDeliveryDirectives', () => {
  it('keeps every other parameter as it came, in order', () => {
    expect(withoutDeliveryDirectives('token=a%20b&_HLS_msn=3&x=1&_HLS_part=0&_HLS_skip=YES')).toBe(
      'token=a%20b&x=1',
    );
    expect(withoutDeliveryDirectives('%5FHLS_msn=3&token=t')).toBe('token=t');
    expect(withoutDeliveryDirectives('_HLS_msn=3')).toBe('');
    expect(withoutDeliveryDirectives('token=t')).toBe('token=t');
  });
});

describe('the limits of §6.2.5.2', () => {
  it('waits three target durations and refuses more than two segments ahead', () => {
    expect(blockingReloadTimeoutMs(1)).toBe(3000);
    expect(blockingReloadTimeoutMs(2)).toBe(6000);
    expect(isTooFarAhead(12, 10)).toBe(false);
    expect(isTooFarAhead(13, 10)).toBe(true);
  });
});
