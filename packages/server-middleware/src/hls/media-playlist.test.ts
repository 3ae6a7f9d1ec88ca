import { describe, expect, it } from 'vitest';
import { parseMediaPlaylist, renderMediaPlaylist } from './media-playlist';

const FFMPEG_PLAYLIST = `#EXTM3U
#EXT-X-VERSION:7
#EXT-X-TARGETDURATION:1
#EXT-X-MEDIA-SEQUENCE:100
#EXT-X-INDEPENDENT-SEGMENTS
#EXT-X-MAP:URI="init-99.mp4"
#EXTINF:1.000000,
seg-100.m4s
#EXTINF:0.966667,
seg-101.m4s
#EXT-X-ENDLIST
`;

describe('parseMediaPlaylist', () => {
  it('reads the sequence, the init segment and each segment number from ffmpeg output', () => {
    expect(parseMediaPlaylist(FFMPEG_PLAYLIST)).toEqual({
      targetDuration: 1,
      mediaSequence: 100,
      initUri: 'init-99.mp4',
      segments: [
        { number: 100, duration: 1, uri: 'seg-100.m4s' },
        { number: 101, duration: 0.966667, uri: 'seg-101.m4s' },
      ],
    });
  });

  it('gives null for a half-written playlist, an empty one, or a foreign segment name', () => {
    expect(parseMediaPlaylist(FFMPEG_PLAYLIST.slice(0, FFMPEG_PLAYLIST.indexOf('seg-101')))).toBeNull();
    expect(parseMediaPlaylist('#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:1\n')).toBeNull();
    expect(parseMediaPlaylist(FFMPEG_PLAYLIST.replace('seg-100.m4s', '../x.m4s'))).toBeNull();
    expect(parseMediaPlaylist('')).toBeNull();
  });
});

describe('renderMediaPlaylist', () => {
  it('stamps each segment with its program date time and drops ENDLIST', () => {
    const parsed = parseMediaPlaylist(FFMPEG_PLAYLIST);
    if (!parsed) throw new Error('fixture did not parse');
    const text = renderMediaPlaylist(parsed, {
      discontinuitySequence: 2,
      programDateTime: (number) => number * 1000,
    });
    expect(text).toContain('#EXT-X-DISCONTINUITY-SEQUENCE:2\n');
    expect(text).toContain(
      '#EXT-X-PROGRAM-DATE-TIME:1970-01-01T00:01:40.000Z\n#EXTINF:1.000000,\nseg-100.m4s\n',
    );
    expect(text).toContain('#EXT-X-PROGRAM-DATE-TIME:1970-01-01T00:01:41.000Z\n');
    expect(text).not.toContain('ENDLIST');
  });

  it('points every segment and the init segment at a sibling folder with a URI prefix', () => {
    const parsed = parseMediaPlaylist(FFMPEG_PLAYLIST);
    if (!parsed) throw new Error('fixture did not parse');
    const text = renderMediaPlaylist(parsed, {
      discontinuitySequence: 0,
      programDateTime: (number) => number * 1000,
      uriPrefix: '../240p/',
    });
    expect(text).toContain('\n../240p/seg-100.m4s\n');
    expect(text).not.toMatch(/^seg-/m);
    if (parsed.initUri) expect(text).toContain(`#EXT-X-MAP:URI="../240p/${parsed.initUri}"`);
  });
});
