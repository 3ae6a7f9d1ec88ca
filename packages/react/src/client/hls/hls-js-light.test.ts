import { describe, expect, it } from 'vitest';
import { HLS_LIVE_CONFIG, type HlsConstructor, type HlsInstance, loadHlsJs } from './hls-js';

// The player loads hls.js's light build (issue 11): it must have every event, error type, setting and method the
// player uses. Playing it for real is the end-to-end tests' job (test/e2e/hls-*.test.ts).

describe("hls.js's light build", () => {
  it('is what loadHlsJs loads, and has every event and error type the player listens for', async () => {
    const Hls = await loadHlsJs();
    const light = (await import('hls.js/light')).default as unknown as HlsConstructor;
    const full = (await import('hls.js')).default as unknown as HlsConstructor;
    expect(Hls).toBe(light);
    expect(Hls).not.toBe(full);
    for (const name of ['MANIFEST_PARSED', 'LEVEL_SWITCHED', 'FRAG_BUFFERED', 'ERROR'] as const) {
      expect(Hls.Events[name], name).toBe(full.Events[name]);
    }
    expect(Hls.ErrorTypes.NETWORK_ERROR).toBe(full.ErrorTypes.NETWORK_ERROR);
    expect(Hls.ErrorTypes.MEDIA_ERROR).toBe(full.ErrorTypes.MEDIA_ERROR);
  });

  it('takes our live settings and has every method and property the player calls', async () => {
    const Hls = await loadHlsJs();
    const hls: HlsInstance = new Hls({ ...HLS_LIVE_CONFIG });
    try {
      const config = (hls as unknown as { config: Record<string, unknown> }).config;
      for (const [key, value] of Object.entries(HLS_LIVE_CONFIG)) expect(config[key], key).toBe(value);
      for (const method of [
        'on',
        'loadSource',
        'attachMedia',
        'startLoad',
        'recoverMediaError',
        'swapAudioCodec',
        'destroy',
      ] as const) {
        expect(typeof hls[method], method).toBe('function');
      }
      for (const property of [
        'levels',
        'currentLevel',
        'liveSyncPosition',
        'latency',
        'targetLatency',
        'playingDate',
      ]) {
        expect(property in hls, property).toBe(true);
      }
    } finally {
      hls.destroy();
    }
  });
});
