import { describe, expect, it } from 'vitest';
import { masterPlaylist } from './master-playlist';
import { planRenditions } from './renditions';

describe('masterPlaylist', () => {
  it('lists every rendition, lowest first, with bandwidth, resolution, frame rate and codecs', () => {
    const renditions = planRenditions({ width: 1280, height: 720, fps: 30, hasAudio: true }, [360, 720]);
    const lines = masterPlaylist(renditions).trim().split('\n');
    expect(lines.slice(0, 3)).toEqual(['#EXTM3U', '#EXT-X-VERSION:7', '#EXT-X-INDEPENDENT-SEGMENTS']);
    expect(lines[3]).toMatch(
      /^#EXT-X-STREAM-INF:BANDWIDTH=\d+,AVERAGE-BANDWIDTH=\d+,RESOLUTION=640x360,FRAME-RATE=30\.000,CODECS="avc1\.4d401e,mp4a\.40\.2"$/,
    );
    expect(lines[4]).toBe('360p/index.m3u8');
    expect(lines[5]).toMatch(/RESOLUTION=1280x720/);
    expect(lines[6]).toBe('720p/index.m3u8');
  });
});
