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
  const segment = (uri: string, initUri: string, discontinuity = false) => ({
    uri,
    duration: 1,
    programDateTime: Number(/\d+/.exec(uri)?.[0]) * 1000,
    discontinuity,
    initUri,
  });

  it('stamps each segment with its program date time, writes the map once per init section, no ENDLIST', () => {
    const text = renderMediaPlaylist({
      targetDuration: 1,
      mediaSequence: 7,
      discontinuitySequence: 2,
      segments: [
        segment('seg-100.m4s', 'init-99.mp4'),
        segment('seg-101.m4s', 'init-99.mp4'),
        segment('seg-120.m4s', 'init-120.mp4', true),
      ],
    });
    expect(text).toBe(
      [
        '#EXTM3U',
        '#EXT-X-VERSION:7',
        '#EXT-X-TARGETDURATION:1',
        '#EXT-X-MEDIA-SEQUENCE:7',
        '#EXT-X-DISCONTINUITY-SEQUENCE:2',
        '#EXT-X-INDEPENDENT-SEGMENTS',
        '#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES',
        '#EXT-X-MAP:URI="init-99.mp4"',
        '#EXT-X-PROGRAM-DATE-TIME:1970-01-01T00:01:40.000Z',
        '#EXTINF:1.000000,',
        'seg-100.m4s',
        '#EXT-X-PROGRAM-DATE-TIME:1970-01-01T00:01:41.000Z',
        '#EXTINF:1.000000,',
        'seg-101.m4s',
        '#EXT-X-DISCONTINUITY',
        '#EXT-X-MAP:URI="init-120.mp4"',
        '#EXT-X-PROGRAM-DATE-TIME:1970-01-01T00:02:00.000Z',
        '#EXTINF:1.000000,',
        'seg-120.m4s',
        '',
      ].join('\n'),
    );
  });
});
