import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Channel } from '../channel/channel';
import { resolveOptions } from '../options/live-stream-options';
import type { VideoSource } from '../source/video-source';
import { Thumbnails, ThumbnailsClosedError, ThumbnailUnavailableError } from './thumbnails';

const source: VideoSource = {
  id: 'clip',
  title: 'Clip',
  input: '/videos/clip.mp4',
  format: null,
  inputOptions: [],
  kind: 'file',
  label: 'videos[0]',
};

/** A channel that is not decoding, so every thumbnail is a grab. */
const idleChannel = {
  id: 'clip',
  source,
  newestFrame: () => null,
  now: () => 0,
  seekAt: () => 1,
} as unknown as Channel;

describe('Thumbnails', () => {
  let directory: string;
  let runs: string;
  let failFlag: string;
  let tools: { ffmpeg: string; ffprobe: string };
  const warn = vi.fn();

  /** Each grab writes a line to `runs`; it prints "JPEG <n>" after `delay` s, or fails while `failFlag` exists. */
  function fakeFfmpeg(delay: number | 'forever') {
    const path = join(directory, 'ffmpeg');
    writeFileSync(
      path,
      [
        '#!/bin/sh',
        `echo run >> "${runs}"`,
        // `exec`: a killed grab leaves no `sleep` holding its pipes open.
        delay === 'forever' ? 'exec sleep 60' : `sleep ${delay}`,
        `if [ -f "${failFlag}" ]; then echo "${directory}/secret: broken" >&2; exit 1; fi`,
        `printf "JPEG %s" "$(wc -l < "${runs}")"`,
      ].join('\n'),
    );
    chmodSync(path, 0o755);
    tools = { ffmpeg: path, ffprobe: path };
  }

  const spawned = () => readFileSync(runs, 'utf8').split('\n').filter(Boolean).length;
  const thumbnails = (maxAgeMs: number) =>
    new Thumbnails(tools, {
      ...resolveOptions({ logger: { warn, error: vi.fn() } }),
      thumbnailMaxAgeMs: maxAgeMs,
    });

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'onair-thumbnails-'));
    runs = join(directory, 'runs');
    writeFileSync(runs, '');
    failFlag = join(directory, 'fail');
    warn.mockClear();
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('starts one grab for many concurrent requests of one video, and all share its frame', async () => {
    fakeFfmpeg(0.2);
    const cache = thumbnails(60_000);
    const answers = await Promise.all(Array.from({ length: 8 }, () => cache.get(idleChannel)));
    expect(new Set(answers.map(String))).toEqual(new Set(['JPEG 1']));
    expect(spawned()).toBe(1);
    // Fresh: served from the cache, nothing spawned.
    expect(String(await cache.get(idleChannel))).toBe('JPEG 1');
    expect(spawned()).toBe(1);
    await cache.close();
  });

  it('serves the old thumbnail at once while one new grab replaces it, and keeps it if that grab fails', async () => {
    fakeFfmpeg(0);
    // Fresh for a while, so the polls below start no grab of their own (one started before the fail flag could
    // otherwise succeed after it, under load).
    const FRESH_MS = 2_000;
    const cache = thumbnails(FRESH_MS);
    expect(String(await cache.get(idleChannel))).toBe('JPEG 1');
    await new Promise((resolve) => setTimeout(resolve, FRESH_MS + 50));
    // Stale: answered with the old one; one refresh starts for all of these.
    const stale = await Promise.all([cache.get(idleChannel), cache.get(idleChannel), cache.get(idleChannel)]);
    expect(stale.map(String)).toEqual(['JPEG 1', 'JPEG 1', 'JPEG 1']);
    await vi.waitFor(() => expect(spawned()).toBe(2));
    await vi.waitFor(async () => expect(String(await cache.get(idleChannel))).toBe('JPEG 2'));

    writeFileSync(failFlag, '');
    await new Promise((resolve) => setTimeout(resolve, FRESH_MS + 50));
    expect(String(await cache.get(idleChannel))).toBe('JPEG 2');
    await vi.waitFor(() => expect(warn).toHaveBeenCalledOnce());
    expect(String(await cache.get(idleChannel))).toBe('JPEG 2');
    await cache.close();
  }, 15_000);

  it('rejects with ThumbnailUnavailableError when a grab fails and nothing is cached, then spawns none for a while', async () => {
    fakeFfmpeg(0);
    writeFileSync(failFlag, '');
    const cache = thumbnails(5_000);
    const failed = cache.get(idleChannel);
    await expect(failed).rejects.toBeInstanceOf(ThumbnailUnavailableError);
    await expect(failed).rejects.toMatchObject({ retryAfterSec: 2 });
    // The error a route sees says nothing of ffmpeg's words or paths; the host's log has them.
    await expect(failed).rejects.not.toThrow(directory);
    expect(warn).toHaveBeenCalledWith(
      'thumbnail of "clip" failed',
      expect.objectContaining({ videoId: 'clip' }),
    );
    // Within the retry interval: answered at once, no new ffmpeg.
    await expect(cache.get(idleChannel)).rejects.toBeInstanceOf(ThumbnailUnavailableError);
    expect(spawned()).toBe(1);
    await cache.close();
  });

  it('forgets a removed stream: the next request of its id grabs anew', async () => {
    fakeFfmpeg(0);
    const cache = thumbnails(60_000);
    expect(String(await cache.get(idleChannel))).toBe('JPEG 1');
    expect(String(await cache.get(idleChannel))).toBe('JPEG 1');
    cache.forget(idleChannel.id);
    expect(String(await cache.get(idleChannel))).toBe('JPEG 2');
    await cache.close();
  });

  it('ends a running grab on close, and refuses after it', async () => {
    fakeFfmpeg('forever');
    const cache = thumbnails(5_000);
    const running = cache.get(idleChannel);
    await vi.waitFor(() => expect(spawned()).toBe(1));
    await cache.close();
    await expect(running).rejects.toBeInstanceOf(ThumbnailsClosedError);
    await expect(cache.get(idleChannel)).rejects.toBeInstanceOf(ThumbnailsClosedError);
  });
});
