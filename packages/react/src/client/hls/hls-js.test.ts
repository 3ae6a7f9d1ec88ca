import { describe, expect, it } from 'vitest';
import { chooseHlsEngine, toHlsLevels } from './hls-js';

describe('toHlsLevels', () => {
  it('names each rendition by its height, for the quality menu', () => {
    expect(
      toHlsLevels([
        { width: 640, height: 360, bitrate: 950_400 },
        { width: 854, height: 480, bitrate: 1_400_000 },
        { width: 1280, height: 720, bitrate: 2_800_000 },
      ]),
    ).toEqual([
      { index: 0, label: '360p', width: 640, height: 360, bitrateKbps: 950 },
      { index: 1, label: '480p', width: 854, height: 480, bitrateKbps: 1_400 },
      { index: 2, label: '720p', width: 1280, height: 720, bitrateKbps: 2_800 },
    ]);
  });

  it('adds the bitrate when two renditions share a height, and uses it alone without a resolution', () => {
    const labels = toHlsLevels([
      { width: 854, height: 480, bitrate: 900_000 },
      { width: 854, height: 480, bitrate: 1_500_000 },
      { width: 0, height: 0, bitrate: 64_000 },
    ]).map((level) => level.label);
    expect(labels).toEqual(['480p 900 kbps', '480p 1500 kbps', '64 kbps']);
  });
});

describe('chooseHlsEngine', () => {
  it('prefers hls.js even where canPlayType claims native HLS (desktop Chromium answers "maybe")', () => {
    expect(chooseHlsEngine({ hlsJsSupported: true, canPlayNativeHls: true })).toBe('hls.js');
  });

  it('uses native HLS only where hls.js cannot run', () => {
    expect(chooseHlsEngine({ hlsJsSupported: false, canPlayNativeHls: true })).toBe('native');
    expect(chooseHlsEngine({ hlsJsSupported: false, canPlayNativeHls: false })).toBe('unsupported');
  });
});
