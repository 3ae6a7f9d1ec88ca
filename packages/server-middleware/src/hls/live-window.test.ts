import { describe, expect, it } from 'vitest';
import { livePlaylistProblems } from './live-playlist-rules';
import { type CommittedSegment, LiveWindow, type SegmentFile } from './live-window';

const LADDER = ['240p', '360p'];

/** Segment `number` of the run that started at `run`, in every rendition (or from `folder` for all of them). */
function segment(
  run: number,
  number: number,
  options: { folder?: string; duration?: number } = {},
): CommittedSegment {
  const files = new Map<string, SegmentFile>();
  for (const rendition of LADDER) {
    const folder = options.folder ?? rendition;
    files.set(rendition, {
      folder,
      name: `seg-${number}.m4s`,
      initName: `init-${run}.mp4`,
      duration: options.duration ?? 1,
    });
  }
  return { run, number, programDateTime: number * 1000, files };
}

function window(windowSegments = 4) {
  return new LiveWindow({ windowSegments, segmentSeconds: 1 });
}

describe('LiveWindow', () => {
  it('names the newest media sequence number, and wakes a blocked reload at the next append', async () => {
    const live = window();
    expect(live.newestSequence).toBeNull();
    live.append(segment(100, 100));
    expect(live.newestSequence).toBe(100);
    const waiting = live.whenAppended(10_000);
    live.append(segment(100, 101));
    await expect(waiting).resolves.toBe(true);
    expect(live.newestSequence).toBe(101);
    expect(live.targetDurationSec).toBe(1);
  });

  it('lets a blocked reload go when its time passes or the window is cleared', async () => {
    const live = window();
    live.append(segment(100, 100));
    await expect(live.whenAppended(10)).resolves.toBe(false);
    const waiting = live.whenAppended(10_000);
    live.clear();
    await expect(waiting).resolves.toBe(false);
  });

  it('serves nothing before the first segment, and nothing for a rendition outside the ladder', () => {
    const live = window();
    expect(live.isEmpty).toBe(true);
    expect(live.playlist('240p')).toBeNull();
    live.append(segment(100, 100));
    expect(live.isEmpty).toBe(false);
    expect(live.playlist('720p')).toBeNull();
  });

  it('numbers the media sequence from the first segment and slides one window of segments', () => {
    const live = window();
    for (let number = 100; number <= 106; number++) live.append(segment(100, number));
    expect(live.playlist('240p')).toBe(
      [
        '#EXTM3U',
        '#EXT-X-VERSION:7',
        '#EXT-X-TARGETDURATION:1',
        '#EXT-X-MEDIA-SEQUENCE:103',
        '#EXT-X-DISCONTINUITY-SEQUENCE:0',
        '#EXT-X-INDEPENDENT-SEGMENTS',
        '#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES',
        '#EXT-X-MAP:URI="init-100.mp4"',
        '#EXT-X-PROGRAM-DATE-TIME:1970-01-01T00:01:43.000Z',
        '#EXTINF:1.000000,',
        'seg-103.m4s',
        '#EXT-X-PROGRAM-DATE-TIME:1970-01-01T00:01:44.000Z',
        '#EXTINF:1.000000,',
        'seg-104.m4s',
        '#EXT-X-PROGRAM-DATE-TIME:1970-01-01T00:01:45.000Z',
        '#EXTINF:1.000000,',
        'seg-105.m4s',
        '#EXT-X-PROGRAM-DATE-TIME:1970-01-01T00:01:46.000Z',
        '#EXTINF:1.000000,',
        'seg-106.m4s',
        '',
      ].join('\n'),
    );
  });

  it('keeps the old run listed across a restart and marks the new run with a discontinuity and its init', () => {
    const live = window();
    const texts: string[] = [];
    for (let number = 100; number <= 105; number++) {
      live.append(segment(100, number));
      texts.push(live.playlist('360p') ?? '');
    }
    // The packager died after 105 and its next run starts at 120: the old segments stay until pushed out.
    for (let number = 120; number <= 126; number++) {
      live.append(segment(120, number));
      texts.push(live.playlist('360p') ?? '');
    }
    expect(livePlaylistProblems(texts)).toEqual([]);
    const restarted = texts[6] ?? '';
    expect(restarted).toMatch(/#EXT-X-MEDIA-SEQUENCE:103\n/);
    expect(restarted).toContain(
      'seg-105.m4s\n#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI="init-120.mp4"\n#EXT-X-PROGRAM-DATE-TIME:1970-01-01T00:02:00.000Z\n',
    );
    expect(texts.at(-1)).toMatch(/#EXT-X-MEDIA-SEQUENCE:109\n#EXT-X-DISCONTINUITY-SEQUENCE:1\n/);
    expect(texts.at(-1)).not.toContain('#EXT-X-DISCONTINUITY\n');
  });

  it('gives every rendition the same sequences, a shed one pointing at its sibling folder', () => {
    const live = window();
    live.append(segment(100, 100));
    live.append(segment(120, 120, { folder: '240p' }));
    const tall = live.playlist('360p') ?? '';
    const short = live.playlist('240p') ?? '';
    expect(tall).toContain('\n#EXT-X-MAP:URI="init-100.mp4"\n');
    expect(tall).toContain('\n#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI="../240p/init-120.mp4"\n');
    expect(tall).toContain('\n../240p/seg-120.m4s\n');
    expect(tall.replaceAll('../240p/', '')).toBe(short);
  });

  it('never trims below three target durations, however short the segments', () => {
    const live = window(3);
    const texts: string[] = [];
    for (let number = 100; number <= 110; number++) {
      live.append(segment(100, number, { duration: 0.5 }));
      texts.push(live.playlist('240p') ?? '');
    }
    expect(livePlaylistProblems(texts)).toEqual([]);
    expect((texts.at(-1)?.match(/^seg-/gm) ?? []).length).toBe(6);
  });

  it('raises the target duration only for a segment that rounds above it', () => {
    const live = window();
    live.append(segment(100, 100, { duration: 1.4 }));
    expect(live.playlist('240p')).toContain('#EXT-X-TARGETDURATION:1\n');
    live.append(segment(100, 101, { duration: 2.2 }));
    expect(live.playlist('240p')).toContain('#EXT-X-TARGETDURATION:2\n');
  });

  it('hands back a dead run’s files one window after they leave, its init with the last of them', () => {
    const live = window(3);
    const discarded: string[] = [];
    for (let number = 100; number <= 102; number++) discarded.push(...live.append(segment(100, number)));
    for (let number = 120; number <= 128; number++) discarded.push(...live.append(segment(120, number)));
    // 100 leaves when 120 arrives; 102 leaves at 122, and goes three appends later (at 125), init with it.
    expect(discarded).toEqual([
      '240p/seg-100.m4s',
      '360p/seg-100.m4s',
      '240p/seg-101.m4s',
      '360p/seg-101.m4s',
      '240p/seg-102.m4s',
      '240p/init-100.mp4',
      '360p/seg-102.m4s',
      '360p/init-100.mp4',
    ]);
  });

  it('leaves the live run’s files to its ffmpeg', () => {
    const live = window(3);
    const discarded: string[] = [];
    for (let number = 100; number <= 120; number++) discarded.push(...live.append(segment(100, number)));
    expect(discarded).toEqual([]);
  });

  it('starts afresh after clear() with sequences that only rise', () => {
    const live = window();
    for (let number = 100; number <= 103; number++) live.append(segment(100, number));
    live.append(segment(104, 104));
    const before = live.playlist('240p') ?? '';
    live.clear();
    expect(live.isEmpty).toBe(true);
    live.append(segment(200, 200));
    const after = live.playlist('240p') ?? '';
    expect(before).toMatch(/#EXT-X-MEDIA-SEQUENCE:101\n#EXT-X-DISCONTINUITY-SEQUENCE:0\n/);
    expect(after).toMatch(/#EXT-X-MEDIA-SEQUENCE:200\n#EXT-X-DISCONTINUITY-SEQUENCE:2\n/);
    expect(after).not.toContain('#EXT-X-DISCONTINUITY\n');
  });
});
