import { resolve } from 'node:path';
import { VIDEO_ID_PATTERN } from '@onair/protocol';
import { describe, expect, it } from 'vitest';
import { slugifyVideoId } from './video-id';
import { normalizeVideoInputs } from './video-source';

describe('normalizeVideoInputs', () => {
  it('derives ids and titles from file names and resolves relative paths', () => {
    const [source] = normalizeVideoInputs(['clips/Big Buck Bunny (1080p).mp4']);
    expect(source).toMatchObject({
      id: 'Big-Buck-Bunny-1080p',
      title: 'Big Buck Bunny (1080p)',
      kind: 'file',
      input: resolve('clips/Big Buck Bunny (1080p).mp4'),
    });
  });

  it('keeps explicit ids and titles, and classifies lavfi graphs and URLs', () => {
    const sources = normalizeVideoInputs([
      { id: 'bars', title: 'Bars', input: 'testsrc2=size=640x360:rate=30', format: 'lavfi' },
      { input: 'rtsp://camera.local/stream1', inputOptions: ['-rtsp_transport', 'tcp'] },
    ]);
    expect(sources[0]).toMatchObject({ id: 'bars', title: 'Bars', kind: 'generated', format: 'lavfi' });
    expect(sources[1]).toMatchObject({
      id: 'camera-local-stream1',
      kind: 'live',
      inputOptions: ['-rtsp_transport', 'tcp'],
    });
  });

  it('treats file: URLs and Windows drive letters as files', () => {
    expect(normalizeVideoInputs(['file:///srv/a.mp4'])[0]).toMatchObject({
      kind: 'file',
      input: '/srv/a.mp4',
    });
    expect(normalizeVideoInputs(['C:\\videos\\a.mp4'])[0]?.kind).toBe('file');
  });

  it('refuses duplicate ids, naming both entries', () => {
    expect(() => normalizeVideoInputs(['a/clip.mp4', 'b/clip.mkv'])).toThrow(
      /videos\[0\] and videos\[1\] both have the id "clip"/,
    );
  });

  it.each([
    [[], /non-empty array/],
    ['a.mp4', /non-empty array/],
    [[42], /videos\[0\]/],
    [[{ input: '' }], /videos\[0\]\.input/],
    [[{ input: 'a.mp4', id: '../etc' }], /videos\[0\]\.id/],
    [[{ input: 'a.mp4', format: 'lavfi; rm' }], /videos\[0\]\.format/],
    [[{ input: 'a.mp4', inputOptions: '-re' }], /videos\[0\]\.inputOptions/],
  ])('throws a TypeError naming the bad entry for %j', (videos, message) => {
    expect(() => normalizeVideoInputs(videos)).toThrow(TypeError);
    expect(() => normalizeVideoInputs(videos)).toThrow(message);
  });
});

describe('slugifyVideoId', () => {
  it.each(['Ünïcödé fïlé', '...hidden', '日本語', '-a-', 'x'.repeat(300), 'a/b\\c'])(
    'makes %j a valid id',
    (name) => {
      expect(slugifyVideoId(name)).toMatch(VIDEO_ID_PATTERN);
    },
  );
});
