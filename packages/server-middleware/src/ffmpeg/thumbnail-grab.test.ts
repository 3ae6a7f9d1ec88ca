import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VideoSource } from '../source/video-source';
import { grabThumbnail, MAX_THUMBNAIL_BYTES, ThumbnailGrabError, thumbnailArgs } from './thumbnail-grab';

const source: VideoSource = {
  id: 'clip',
  title: 'Clip',
  input: '/videos/clip.mp4',
  format: null,
  inputOptions: [],
  kind: 'file',
  label: 'videos[0] ("/videos/clip.mp4")',
};

describe('thumbnailArgs', () => {
  it('seeks before the input and writes one MJPEG frame to stdout, never wider than the source', () => {
    expect(thumbnailArgs(source, 12.5, 320)).toEqual([
      '-hide_banner',
      '-nostdin',
      '-loglevel',
      'error',
      '-ss',
      '12.500',
      '-i',
      '/videos/clip.mp4',
      '-map',
      '0:v:0',
      '-an',
      '-frames:v',
      '1',
      '-vf',
      'scale=w=min(320\\,iw):h=-2',
      '-q:v',
      '4',
      '-f',
      'image2pipe',
      '-vcodec',
      'mjpeg',
      'pipe:1',
    ]);
  });

  it('puts the input format and options before -i, and does not seek without a position', () => {
    const live = { ...source, format: 'lavfi', inputOptions: ['-re'], input: 'testsrc2' };
    const args = thumbnailArgs(live, null, 160);
    expect(args.slice(4, 9)).toEqual(['-re', '-f', 'lavfi', '-i', 'testsrc2']);
    expect(args).not.toContain('-ss');
  });
});

describe('thumbnailArgs of a broadcast', () => {
  it('skips to live after the input (an input seek on a pipe gives nothing)', () => {
    const broadcast = { ...source, input: 'pipe:0', format: 'flv', kind: 'broadcast' as const };
    const args = thumbnailArgs(broadcast, null, 320, 3.2);
    expect(args.slice(6, 12)).toEqual(['-f', 'flv', '-i', 'pipe:0', '-ss', '3.200']);
    expect(thumbnailArgs(broadcast, null, 320, 0)).not.toContain('-ss');
  });
});

describe('grabThumbnail', () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'onair-grab-'));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  function tools(body: string, mode = 0o755) {
    const path = join(directory, 'ffmpeg');
    writeFileSync(path, `#!/bin/sh\n${body}\n`);
    chmodSync(path, mode);
    return { ffmpeg: path, ffprobe: path };
  }

  it('resolves with what ffmpeg printed', async () => {
    const grab = grabThumbnail(tools("printf 'JPEG'"), source, 1, 320, 10_000);
    expect((await grab.result).toString()).toBe('JPEG');
  });

  it.each([
    ['an ffmpeg that exits 1', () => tools('echo "/videos/clip.mp4: Invalid data" >&2; exit 1'), /code 1/],
    ['a deleted ffmpeg', () => ({ ffmpeg: join(directory, 'gone'), ffprobe: '' }), /missing \(ENOENT\)/],
    ['a non-executable ffmpeg', () => tools('exit 0', 0o000), /not executable \(EACCES\)/],
    ['an ffmpeg that prints nothing', () => tools('exit 0'), /gave no frame/],
  ])('rejects for %s, without throwing', async (_name, make, reason) => {
    const grab = grabThumbnail(make(), source, null, 320, 10_000);
    await expect(grab.result).rejects.toThrow(ThumbnailGrabError);
    await expect(grab.result).rejects.toThrow(reason);
  });

  it('kills an ffmpeg that prints more than MAX_THUMBNAIL_BYTES', async () => {
    const grab = grabThumbnail(
      tools(`head -c ${MAX_THUMBNAIL_BYTES * 2} /dev/zero`),
      source,
      null,
      320,
      10_000,
    );
    await expect(grab.result).rejects.toThrow(`printed more than ${MAX_THUMBNAIL_BYTES} bytes`);
  });

  it('kills an ffmpeg that outlives the timeout, and one that is cancelled', async () => {
    const slow = tools('exec sleep 30');
    await expect(grabThumbnail(slow, source, null, 320, 100).result).rejects.toThrow(
      'timed out after 100 ms',
    );
    const cancelled = grabThumbnail(slow, source, null, 320, 10_000);
    cancelled.cancel();
    await expect(cancelled.result).rejects.toThrow('cancelled');
  });
});
