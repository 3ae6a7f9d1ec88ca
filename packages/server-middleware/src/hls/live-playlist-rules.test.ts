import { describe, expect, it } from 'vitest';
import { livePlaylistProblems, readLivePlaylist, successionProblems } from './live-playlist-rules';

interface Entry {
  uri: string;
  duration?: number;
  discontinuity?: boolean;
  map?: string;
}

/** A live playlist in the shape we serve (the checker must not depend on it beyond RFC 8216). */
function playlist(
  mediaSequence: number,
  entries: Entry[],
  options: { target?: number; disc?: number } = {},
): string {
  const lines = [
    '#EXTM3U',
    '#EXT-X-VERSION:7',
    `#EXT-X-TARGETDURATION:${options.target ?? 1}`,
    `#EXT-X-MEDIA-SEQUENCE:${mediaSequence}`,
    `#EXT-X-DISCONTINUITY-SEQUENCE:${options.disc ?? 0}`,
  ];
  for (const entry of entries) {
    if (entry.discontinuity) lines.push('#EXT-X-DISCONTINUITY');
    if (entry.map) lines.push(`#EXT-X-MAP:URI="${entry.map}"`);
    lines.push(`#EXTINF:${(entry.duration ?? 1).toFixed(6)},`, entry.uri);
  }
  return `${lines.join('\n')}\n`;
}

const seg = (number: number, extra: Partial<Entry> = {}): Entry => ({ uri: `seg-${number}.m4s`, ...extra });
const run = (from: number, to: number, init: string) =>
  Array.from({ length: to - from + 1 }, (_, index) => seg(from + index, index === 0 ? { map: init } : {}));

describe('readLivePlaylist', () => {
  it('numbers segments from the media sequence and carries the map and discontinuity of each', () => {
    const read = readLivePlaylist(
      playlist(10, [seg(5, { map: 'init-5.mp4' }), seg(9, { discontinuity: true, map: 'init-9.mp4' })], {
        disc: 2,
      }),
    );
    expect(read).toEqual({
      targetDuration: 1,
      mediaSequence: 10,
      discontinuitySequence: 2,
      segments: [
        { sequence: 10, uri: 'seg-5.m4s', duration: 1, discontinuity: false, map: 'init-5.mp4' },
        { sequence: 11, uri: 'seg-9.m4s', duration: 1, discontinuity: true, map: 'init-9.mp4' },
      ],
    });
  });

  it('rejects text that is not a playlist, and one without a target duration', () => {
    expect(() => readLivePlaylist('hello')).toThrow(/EXTM3U/);
    expect(() => readLivePlaylist('#EXTM3U\n#EXTINF:1,\na.m4s\n')).toThrow(/TARGETDURATION/);
  });
});

describe('livePlaylistProblems', () => {
  it('accepts a window sliding by one segment, and a restart appended after a discontinuity', () => {
    expect(
      livePlaylistProblems([
        playlist(100, run(100, 105, 'init-100.mp4')),
        playlist(101, run(101, 106, 'init-100.mp4')),
        // The packager restarted at 120: its first segment follows the old ones, after a discontinuity.
        playlist(102, [
          ...run(102, 106, 'init-100.mp4'),
          seg(120, { discontinuity: true, map: 'init-120.mp4' }),
        ]),
        playlist(107, [
          seg(120, { discontinuity: true, map: 'init-120.mp4' }),
          ...run(121, 125, 'init-120.mp4'),
        ]),
        // The discontinuity leaves the window: the discontinuity sequence counts it.
        playlist(108, run(121, 126, 'init-120.mp4'), { disc: 1 }),
      ]),
    ).toEqual([]);
  });

  it('finds what issue 11 saw after a packager restart: one segment left, no discontinuity', () => {
    const problems = livePlaylistProblems([
      playlist(100, run(100, 105, 'init-100.mp4')),
      playlist(107, run(120, 120, 'init-120.mp4'), { disc: 1 }),
    ]);
    expect(problems).toEqual([expect.stringMatching(/leaving 1\.000s, under three target durations \(3s\)/)]);
  });

  it('finds a media sequence that advances by more than the segments removed', () => {
    const problems = livePlaylistProblems([
      playlist(100, run(100, 105, 'init-100.mp4')),
      playlist(102, run(101, 106, 'init-100.mp4')),
    ]);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/segment 102 changed from seg-102\.m4s .* to seg-101\.m4s/),
      ]),
    );
  });

  it('finds a window shrunk below three target durations', () => {
    const problems = livePlaylistProblems([
      playlist(100, run(100, 105, 'init-100.mp4')),
      playlist(106, [seg(106, { map: 'init-100.mp4' })]),
    ]);
    expect(problems).toEqual([expect.stringMatching(/leaving 1\.000s, under three target durations \(3s\)/)]);
  });

  it('finds a discontinuity removed from the head without counting it, or counted without one', () => {
    const withJump = playlist(100, [
      seg(100, { map: 'init-100.mp4' }),
      seg(101),
      seg(120, { discontinuity: true, map: 'init-120.mp4' }),
      seg(121),
      seg(122),
    ]);
    const afterJump = (disc: number) =>
      playlist(103, [seg(121, { map: 'init-120.mp4' }), seg(122), seg(123), seg(124)], { disc });
    expect(livePlaylistProblems([withJump, afterJump(1)])).toEqual([]);
    expect(livePlaylistProblems([withJump, afterJump(0)])).toEqual([
      expect.stringMatching(/DISCONTINUITY-SEQUENCE 0, expected 1 \(1 discontinuities removed\)/),
    ]);
    const noJump = playlist(100, run(100, 104, 'init-100.mp4'));
    const slid = playlist(101, [seg(101, { map: 'init-100.mp4' }), seg(102), seg(103), seg(104), seg(105)], {
      disc: 1,
    });
    expect(livePlaylistProblems([noJump, slid])).toEqual([expect.stringMatching(/expected 0/)]);
  });

  it('finds a segment whose discontinuity appears or whose init section changes on a reload', () => {
    const before = playlist(100, run(100, 104, 'init-100.mp4'));
    const marked = playlist(100, [...run(100, 103, 'init-100.mp4'), seg(104, { discontinuity: true })]);
    expect(livePlaylistProblems([before, marked])).toEqual([
      expect.stringMatching(/segment 104 changed from seg-104\.m4s .* to discontinuity seg-104\.m4s/),
    ]);
    const remapped = playlist(100, [...run(100, 103, 'init-100.mp4'), seg(104, { map: 'init-104.mp4' })]);
    expect(livePlaylistProblems([before, remapped])).toEqual(
      expect.arrayContaining([expect.stringMatching(/segment 104 changed/)]),
    );
  });

  it('finds a segment removed from the end and a media sequence going back', () => {
    const before = playlist(100, run(100, 105, 'init-100.mp4'));
    expect(livePlaylistProblems([before, playlist(100, run(100, 104, 'init-100.mp4'))])).toEqual([
      expect.stringMatching(/segment 105 \(seg-105\.m4s\) removed from the end/),
    ]);
    expect(livePlaylistProblems([before, playlist(99, run(99, 104, 'init-99.mp4'))])).toEqual(
      expect.arrayContaining([expect.stringMatching(/MEDIA-SEQUENCE went back from 100 to 99/)]),
    );
  });

  it('finds a changed target duration and an EXTINF that rounds above it', () => {
    const before = playlist(100, run(100, 105, 'init-100.mp4'));
    expect(
      livePlaylistProblems([before, playlist(100, run(100, 105, 'init-100.mp4'), { target: 2 })]),
    ).toEqual(['playlist 1: TARGETDURATION changed from 1 to 2']);
    const long = playlist(100, [seg(100, { map: 'init-100.mp4', duration: 1.6 }), seg(101), seg(102)]);
    expect(livePlaylistProblems([long])).toEqual([
      'playlist 0: seg-100.m4s: EXTINF 1.6 rounds above TARGETDURATION 1',
    ]);
  });

  it('finds a URI that names another segment after a restart (a file overwritten)', () => {
    const problems = livePlaylistProblems([
      playlist(100, run(100, 105, 'init-100.mp4')),
      playlist(200, run(100, 105, 'init-100.mp4'), { disc: 1 }),
    ]);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/seg-100\.m4s is segment 200 but was segment 100 before/),
      ]),
    );
  });

  it('checks one reload against the one before it', () => {
    const previous = readLivePlaylist(playlist(100, run(100, 103, 'init-100.mp4')));
    expect(
      successionProblems(previous, readLivePlaylist(playlist(101, run(101, 104, 'init-100.mp4')))),
    ).toEqual([]);
  });
});
