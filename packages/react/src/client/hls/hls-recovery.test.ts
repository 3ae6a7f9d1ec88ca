import { describe, expect, it } from 'vitest';
import { HlsRecoveryPolicy } from './hls-recovery';

const backoff = { initialDelayMs: 100, maxDelayMs: 1_000, factor: 2, jitter: 0, maxAttempts: 4 };
const context = { networkErrorType: 'networkError', mediaErrorType: 'mediaError', manifestLoaded: true };
const network = { type: 'networkError', details: 'fragLoadError' };
const media = { type: 'mediaError', details: 'bufferAppendError' };

describe('HlsRecoveryPolicy', () => {
  it('restarts loading after a network error, with a growing backoff', () => {
    const policy = new HlsRecoveryPolicy(backoff);
    expect(policy.next(network, context)).toEqual({ kind: 'start-load', delayMs: 100 });
    expect(policy.next(network, context)).toEqual({ kind: 'start-load', delayMs: 200 });
    expect(policy.next(network, context)).toEqual({ kind: 'start-load', delayMs: 400 });
  });

  it('builds a new instance when the network fails before the master playlist was parsed', () => {
    const policy = new HlsRecoveryPolicy(backoff);
    expect(policy.next(network, { ...context, manifestLoaded: false })).toEqual({
      kind: 'recreate',
      delayMs: 100,
    });
  });

  it('recovers a media error, then swaps the audio codec on the second, then recreates on the third', () => {
    const policy = new HlsRecoveryPolicy(backoff);
    expect(policy.next(media, context).kind).toBe('recover-media');
    expect(policy.next(media, context).kind).toBe('swap-codec-and-recover');
    expect(policy.next(media, context)).toEqual({ kind: 'recreate', delayMs: 400 });
  });

  it('recreates on errors that are neither network nor media', () => {
    const policy = new HlsRecoveryPolicy(backoff);
    expect(policy.next({ type: 'muxError', details: 'fragParsingError' }, context)).toEqual({
      kind: 'recreate',
      delayMs: 100,
    });
  });

  it('gives up after maxAttempts without a buffered fragment in between', () => {
    const policy = new HlsRecoveryPolicy(backoff);
    for (let attempt = 0; attempt < 4; attempt++)
      expect(policy.next(network, context).kind).toBe('start-load');
    expect(policy.next(network, context)).toEqual({ kind: 'give-up' });
  });

  it('starts afresh once a fragment buffers again', () => {
    const policy = new HlsRecoveryPolicy(backoff);
    policy.next(network, context);
    policy.next(media, context);
    policy.succeeded();
    expect(policy.attemptCount).toBe(0);
    expect(policy.next(network, context)).toEqual({ kind: 'start-load', delayMs: 100 });
    expect(policy.next(media, context).kind).toBe('recover-media');
  });
});
