import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEFAULT_AUDIO_CHUNK_MS } from '@onair/protocol';
import { describe, expect, it } from 'vitest';
import { resolveOptions } from './live-stream-options';

describe('resolveOptions', () => {
  it('fills every default', () => {
    const options = resolveOptions(undefined);
    expect(options).toMatchObject({
      epochMs: 0,
      maxFps: 30,
      maxHeight: null,
      maxPixelRate: 1920 * 1080 * 60,
      overPixelRate: 'scale',
      initialRung: null,
      audioChunkMs: DEFAULT_AUDIO_CHUNK_MS,
      ackWindow: 16,
      heartbeatMs: 10_000,
      helloTimeoutMs: 5_000,
      maxSocketsPerAddress: 20,
      controlRateLimit: { burst: 20, sustained: 10, windowMs: 1_000 },
      idleTimeoutMs: 10_000,
      eager: false,
    });
    expect(options.isOriginAllowed('https://anything.example')).toBe(true);
    expect(options.ladder[0]).toEqual({ height: 144, quality: 40 });
    expect(options.ladder.at(-1)).toEqual({ height: null, quality: 85 });
  });

  it('takes a Date as the epoch', () => {
    expect(resolveOptions({ epoch: new Date(5_000) }).epochMs).toBe(5_000);
  });

  it.each([
    ['maxFps', { maxFps: 0 }],
    ['maxFps', { maxFps: '30' }],
    ['maxHeight', { maxHeight: 15 }],
    ['maxPixelRate', { maxPixelRate: 1_000 }],
    ['maxPixelRate', { maxPixelRate: '1e8' }],
    ['overPixelRate', { overPixelRate: 'shrink' }],
    ['ladder', { ladder: [] }],
    ['ladder', { ladder: [{ height: 240, quality: 0 }] }],
    ['ladder', { ladder: [0, 50] }],
    ['ladder', { ladder: Array.from({ length: 17 }, (_, i) => i + 1) }],
    ['initialRung', { ladder: [50, 60], initialRung: 2 }],
    ['audioChunkMs', { audioChunkMs: 5 }],
    ['audioChunkMs', { audioChunkMs: 10.5 }],
    ['ackWindow', { ackWindow: 0 }],
    ['maxBufferedBytes', { maxBufferedBytes: 1_000 }],
    ['heartbeatMs', { heartbeatMs: 10 }],
    ['helloTimeoutMs', { helloTimeoutMs: 50 }],
    ['maxSocketsPerAddress', { maxSocketsPerAddress: 0 }],
    ['maxSocketsPerAddress', { maxSocketsPerAddress: 2.5 }],
    ['controlRateLimit', { controlRateLimit: { burst: 0, sustained: 1, windowMs: 1_000 } }],
    ['controlRateLimit', { controlRateLimit: 10 }],
    ['idleTimeoutMs', { idleTimeoutMs: -1 }],
    ['eager', { eager: 'yes' }],
    ['epoch', { epoch: new Date(Number.NaN) }],
    ['maxRestartDelayMs', { restartDelayMs: 5_000, maxRestartDelayMs: 1_000 }],
    ['record', { record: 'yes' }],
    ['recordingsDir', { recordingsDir: '' }],
    ['recordingsDir', { recordingsDir: 42 }],
    ['authorize', { authorize: true }],
    ['origin', { origin: 'https://example.com' }],
    ['cors', { cors: 'https://example.com' }],
    ['cors', { cors: [42] }],
    ['logger', { logger: { warn() {} } }],
  ])('throws a TypeError naming "%s"', (name, options) => {
    expect(() => resolveOptions(options)).toThrow(TypeError);
    expect(() => resolveOptions(options)).toThrow(`"${name}"`);
  });

  it('records nothing by default, into the OS temporary directory, and resolves a recordings folder given', () => {
    expect(resolveOptions({}).record).toBe(false);
    expect(resolveOptions({}).recordingsDir).toBe(join(tmpdir(), 'onair-recordings'));
    expect(resolveOptions({ record: true, recordingsDir: 'recs' })).toMatchObject({
      record: true,
      recordingsDir: resolve('recs'),
    });
  });

  it('takes null for no pixel-rate cap, and refuse instead of scale', () => {
    expect(resolveOptions({ maxPixelRate: null }).maxPixelRate).toBeNull();
    expect(resolveOptions({ overPixelRate: 'refuse' }).overPixelRate).toBe('refuse');
  });

  it('names an unknown option, so a typo does not pass silently', () => {
    expect(() => resolveOptions({ maxFPS: 30 })).toThrow(/unknown option "maxFPS"/);
  });

  it('checks origins against the allow-list exactly, or with the predicate', () => {
    const list = resolveOptions({ origin: ['https://a.example'] });
    expect(list.isOriginAllowed('https://a.example')).toBe(true);
    expect(list.isOriginAllowed('https://a.example.evil')).toBe(false);
    const predicate = resolveOptions({ origin: (origin: string) => origin.endsWith('.example') });
    expect(predicate.isOriginAllowed('https://b.example')).toBe(true);
  });

  it("leaves a new viewer's rung to each channel's ladder (its middle) unless initialRung says", () => {
    expect(resolveOptions({ ladder: [30, 60, 90] }).initialRung).toBeNull();
    expect(resolveOptions({ ladder: [30, 60, 90], initialRung: 0 }).initialRung).toBe(0);
  });

  it('still takes a ladder of JPEG qualities, each at the source size', () => {
    expect(resolveOptions({ ladder: [40, 55, 70] }).ladder).toEqual([
      { height: null, quality: 40 },
      { height: null, quality: 55 },
      { height: null, quality: 70 },
    ]);
  });

  it('silences the logger with false', () => {
    const { logger } = resolveOptions({ logger: false });
    expect(() => logger.error('x')).not.toThrow();
  });
});
