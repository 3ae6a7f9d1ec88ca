import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { ErrorCode } from '@onair/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath } from '../fixtures/fixture-files';
import { mediaChildren } from './helpers/child-processes';
import { fetchPlaylist, runMediaTool } from './helpers/hls-client';
import { type RunningHost, startHost } from './helpers/host-app';
import { json, rawGet } from './helpers/http-get';
import { withPrivateTmpdir } from './helpers/private-tmpdir';

const ID = 'av-320x240-30fps';
const MASTER = `/live/hls/${ID}/master.m3u8`;
const RENDITION = `/live/hls/${ID}/240p/index.m3u8`;
const HLS = { segmentSeconds: 1, windowSegments: 4, idleTimeoutMs: 5_000 };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

withPrivateTmpdir('onair-hls-test-');

function hlsFolders(): string[] {
  return readdirSync(tmpdir()).filter((name) => name.startsWith(`onair-hls-${ID}-`));
}

async function waitFor(
  check: () => boolean,
  timeoutMs: number,
  refresh?: () => Promise<void>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  await refresh?.();
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await sleep(50);
    await refresh?.();
  }
}

describe('HLS packaging', () => {
  let host: RunningHost;

  beforeAll(async () => {
    host = await startHost([fixturePath('audioVideo')], { hls: HLS, restartDelayMs: 200 });
  });

  afterAll(async () => {
    await host?.close();
  });

  it('gives each catalog entry the master playlist URL under the mount path', async () => {
    const videos = json(await rawGet(host.origin, '/live/videos')) as { hlsUrl: unknown }[];
    expect(videos.map((video) => video.hlsUrl)).toEqual([MASTER]);
  });

  it('makes the first playlist request wait for the first segment instead of failing', async () => {
    expect(host.live.stats().hls[0]).toMatchObject({ state: 'idle', running: false });
    const response = await rawGet(host.origin, RENDITION);
    expect(response.status).toBe(200);
    const text = response.body.toString();
    expect(text).toMatch(/^#EXTM3U\n/);
    expect(text).toMatch(/\nseg-\d+\.m4s\n/);
    expect(host.live.stats().hls[0]).toMatchObject({ state: 'running', running: true, renditions: ['240p'] });
  });

  it('lists one rendition at the source height for a 240p source (never upscaled)', async () => {
    const response = await rawGet(host.origin, MASTER);
    const variants = response.body.toString().match(/^#EXT-X-STREAM-INF:.*$/gm) ?? [];
    expect(variants).toHaveLength(1);
    expect(variants[0]).toMatch(/RESOLUTION=320x240/);
    expect(variants[0]).toMatch(/BANDWIDTH=\d+/);
    expect(variants[0]).toMatch(/CODECS="avc1\.4d40[0-9a-f]{2},mp4a\.40\.2"/);
    expect(response.body.toString()).toMatch(/\n240p\/index\.m3u8\n/);
  });

  it('serves playlists uncached and segments immutable, with HLS and MP4 content types', async () => {
    const master = await rawGet(host.origin, MASTER);
    expect(master.headers['content-type']).toBe('application/vnd.apple.mpegurl');
    expect(master.headers['cache-control']).toBe('no-cache');
    const rendition = await rawGet(host.origin, RENDITION);
    expect(rendition.headers['content-type']).toBe('application/vnd.apple.mpegurl');
    expect(rendition.headers['cache-control']).toBe('no-cache');
    const { numbers, initUri } = await fetchPlaylist(host.origin, RENDITION);
    for (const file of [initUri, `seg-${numbers.at(-1)}.m4s`]) {
      const segment = await rawGet(host.origin, `/live/hls/${ID}/240p/${file}`);
      expect(segment.status).toBe(200);
      expect(segment.headers['content-type']).toBe('video/mp4');
      expect(segment.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(segment.body.length).toBeGreaterThan(500);
    }
  });

  it('stamps each segment with its moment on the live timeline (EXT-X-PROGRAM-DATE-TIME)', async () => {
    const playlist = await fetchPlaylist(host.origin, RENDITION);
    expect(playlist.programDateTimes).toHaveLength(playlist.numbers.length);
    // Default epoch 0: segment n of a 1 s ladder starts at n seconds of Unix time.
    expect(playlist.programDateTimes).toEqual(playlist.numbers.map((number) => number * 1000));
    const newestEnd = (playlist.programDateTimes.at(-1) ?? 0) + 1000;
    expect(Date.now() - newestEnd).toBeLessThan(3000);
  });

  it('is read by ffprobe from the live master playlist URL: H.264 video and AAC audio', async () => {
    const probe = await runMediaTool(
      'ffprobe',
      ['-v', 'error', '-print_format', 'json', '-show_streams', `${host.origin}${MASTER}`],
      30_000,
    );
    expect(probe.code, probe.stderr).toBe(0);
    const streams = (JSON.parse(probe.stdout) as { streams: Record<string, unknown>[] }).streams;
    expect(streams).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ codec_type: 'video', codec_name: 'h264', width: 320, height: 240 }),
        expect.objectContaining({ codec_type: 'audio', codec_name: 'aac', channels: 2 }),
      ]),
    );
  });

  it('is decoded by ffmpeg from a live rendition for 3 s without an error', async () => {
    const decode = await runMediaTool(
      'ffmpeg',
      [
        '-hide_banner',
        '-nostdin',
        '-loglevel',
        'error',
        '-i',
        `${host.origin}${RENDITION}`,
        '-t',
        '3',
        '-f',
        'null',
        '-',
      ],
      30_000,
    );
    expect(decode.code, decode.stderr).toBe(0);
    expect(decode.stderr.trim()).toBe('');
  });

  it('never reuses a segment number, also after the packager is killed and restarted', async () => {
    const before = await fetchPlaylist(host.origin, RENDITION);
    await sleep(1200);
    const later = await fetchPlaylist(host.origin, RENDITION);
    expect(later.mediaSequence).toBeGreaterThanOrEqual(before.mediaSequence);
    expect(Math.max(...later.numbers)).toBeGreaterThan(Math.max(...before.numbers));

    const { pid, restarts } = host.live.stats().hls[0] ?? {};
    expect(pid).toBeGreaterThan(0);
    process.kill(pid as number, 'SIGKILL');
    await waitFor(() => (host.live.stats().hls[0]?.restarts ?? 0) > (restarts ?? 0), 5_000);

    // The new run's segments follow the old ones after a discontinuity, with their own init section.
    let text = '';
    await waitFor(
      () => text.includes('\n#EXT-X-DISCONTINUITY\n'),
      10_000,
      async () => {
        text = (await rawGet(host.origin, RENDITION)).body.toString();
      },
    );
    const after = await fetchPlaylist(host.origin, RENDITION);
    expect(host.live.stats().hls[0]?.pid).not.toBe(pid);
    expect(after.mediaSequence).toBeGreaterThanOrEqual(later.mediaSequence);
    expect(Math.min(...after.numbers.filter((number) => !later.numbers.includes(number)))).toBeGreaterThan(
      Math.max(...later.numbers),
    );
    expect(text).toMatch(/\n#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI="init-\d+\.mp4"\n/);
    expect(/#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI="([^"]+)"/.exec(text)?.[1]).not.toBe(later.initUri);
    const segment = await rawGet(host.origin, `/live/hls/${ID}/240p/seg-${after.numbers.at(-1)}.m4s`);
    expect(segment.status).toBe(200);
  });

  it.each([
    ['an encoded dot-dot id', `/live/hls/%2e%2e/master.m3u8`],
    ['an encoded slash in the segment', `/live/hls/${ID}/240p/..%2f..%2fmaster.m3u8`],
    ['an encoded dot-dot rendition', `/live/hls/${ID}/%2e%2e/index.m3u8`],
    ['a backslash', `/live/hls/${ID}/240p/..%5c..%5cetc%5cpasswd`],
    ['an absolute path', `/live/hls/${ID}/240p/%2fetc%2fpasswd`],
    ['a NUL byte', `/live/hls/${ID}/240p/seg-1.m4s%00.txt`],
    ['a raw dot-dot', `/live/hls/${ID}/240p/../../../../etc/passwd`],
    ['a file outside the pattern', `/live/hls/${ID}/240p/index.m3u8.tmp`],
    ['a rendition outside the pattern', `/live/hls/${ID}/tmp/seg-1.m4s`],
  ])('refuses %s with a JSON 400 or 404', async (_name, path) => {
    const response = await rawGet(host.origin, path);
    expect([400, 404]).toContain(response.status);
    expect(json(response)).toEqual({
      error: { code: expect.stringMatching(/^ONAIR_/), message: expect.any(String) },
    });
  });

  it('refuses a listed-looking segment that was never listed, and an unknown rendition', async () => {
    const { numbers } = await fetchPlaylist(host.origin, RENDITION);
    const future = await rawGet(host.origin, `/live/hls/${ID}/240p/seg-${(numbers.at(-1) ?? 0) + 5}.m4s`);
    expect(future.status).toBe(404);
    const tall = await rawGet(host.origin, `/live/hls/${ID}/720p/index.m3u8`);
    expect(tall.status).toBe(404);
    expect(json(tall)).toMatchObject({ error: { code: ErrorCode.NotFound } });
  });

  it('answers an unknown video with 404 ONAIR_UNKNOWN_VIDEO', async () => {
    const response = await rawGet(host.origin, '/live/hls/nope/master.m3u8');
    expect(response.status).toBe(404);
    expect(json(response)).toMatchObject({ error: { code: ErrorCode.UnknownVideo } });
  });
});

describe('HLS packager lifecycle', () => {
  it('stops its ffmpeg and removes its folder after the idle timeout, and close() leaves nothing', async () => {
    const host = await startHost([fixturePath('audioVideo')], { hls: { ...HLS, idleTimeoutMs: 800 } });
    try {
      expect((await rawGet(host.origin, MASTER)).status).toBe(200);
      expect(hlsFolders()).toHaveLength(1);
      const pid = host.live.stats().hls[0]?.pid;
      expect(mediaChildren().map((child) => child.pid)).toContain(pid);
      await waitFor(() => host.live.stats().hls[0]?.state === 'idle', 5_000);
      await waitFor(() => hlsFolders().length === 0 && mediaChildren().length === 0, 5_000);

      expect((await rawGet(host.origin, RENDITION)).status).toBe(200);
      expect(hlsFolders()).toHaveLength(1);
      await host.live.close();
      expect(mediaChildren()).toEqual([]);
      expect(hlsFolders()).toEqual([]);
    } finally {
      await host.close();
    }
  });

  it('answers 404 ONAIR_NOT_FOUND under /hls and gives no hlsUrl when HLS is off', async () => {
    const host = await startHost([fixturePath('audioVideo')]);
    try {
      const response = await rawGet(host.origin, MASTER);
      expect(response.status).toBe(404);
      expect(json(response)).toMatchObject({ error: { code: ErrorCode.NotFound } });
      const videos = json(await rawGet(host.origin, '/live/videos')) as { hlsUrl: unknown }[];
      expect(videos[0]?.hlsUrl).toBeNull();
      expect(host.live.stats().hls).toEqual([]);
    } finally {
      await host.close();
    }
  });
});
