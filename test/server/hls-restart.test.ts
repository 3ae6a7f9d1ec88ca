import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  livePlaylistProblems,
  readLivePlaylist,
} from '../../packages/server-middleware/src/hls/live-playlist-rules';
import { fixturePath } from '../fixtures/fixture-files';
import { findMediaTool } from '../fixtures/media-tools';
import { type RunningHost, startHost } from './helpers/host-app';
import { rawGet } from './helpers/http-get';
import { withPrivateTmpdir } from './helpers/private-tmpdir';

const ID = 'av-320x240-30fps';
const RENDITIONS = ['120p', '240p'] as const;
const playlistPath = (rendition: string) => `/live/hls/${ID}/${rendition}/index.m3u8`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `ffmpeg -copyts` reading a live playlist, as a third-party client does; its stderr says what it opened. */
function startCopytsReader(url: string): { child: ChildProcess; stderr: () => string } {
  const child = spawn(
    findMediaTool('ffmpeg'),
    ['-hide_banner', '-nostdin', '-loglevel', 'info', '-copyts', '-i', url, '-f', 'null', '-'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return { child, stderr: () => stderr };
}

const segmentsOpened = (stderr: string) =>
  [...stderr.matchAll(/Opening '[^']*\/seg-(\d+)\.m4s' for reading/g)].map((match) => Number(match[1]));

withPrivateTmpdir('onair-hls-restart-test-');

describe('an HLS packager killed mid-stream', () => {
  let host: RunningHost;
  const texts = new Map<string, string[]>(RENDITIONS.map((rendition) => [rendition, []]));
  let firstAfterRestart = 0;
  let reader: ReturnType<typeof startCopytsReader>;
  let readerExit: number | null | undefined;

  beforeAll(async () => {
    host = await startHost([fixturePath('audioVideo')], {
      hls: { segmentSeconds: 1, windowSegments: 4, ladder: [120, 240], idleTimeoutMs: 60_000 },
      restartDelayMs: 200,
    });
    expect((await rawGet(host.origin, playlistPath('240p'))).status).toBe(200);
    reader = startCopytsReader(`${host.origin}${playlistPath('240p')}`);
    reader.child.once('exit', (code) => {
      readerExit = code;
    });

    const poll = async (ms: number) => {
      const until = Date.now() + ms;
      while (Date.now() < until) {
        for (const rendition of RENDITIONS) {
          const response = await rawGet(host.origin, playlistPath(rendition));
          expect(response.status).toBe(200);
          texts.get(rendition)?.push(response.body.toString('utf8'));
        }
        await sleep(150);
      }
    };
    await poll(6_000);
    const { pid } = host.live.stats().hls[0] ?? {};
    expect(pid).toBeGreaterThan(0);
    process.kill(pid as number, 'SIGKILL');
    // Long enough for the next run to push every segment of the killed one out of the window, and a window more.
    await poll(14_000);
    const restarted = host.live.stats().hls[0];
    expect(restarted?.restarts).toBe(1);
    expect(restarted?.pid).not.toBe(pid);
    const last = readLivePlaylist(texts.get('240p')?.at(-1) ?? '');
    firstAfterRestart = Math.min(...last.segments.map((segment) => Number(/\d+/.exec(segment.uri)?.[0])));
  }, 60_000);

  afterAll(async () => {
    if (reader && readerExit === undefined) reader.child.kill('SIGKILL');
    await host?.close();
  });

  it.each(RENDITIONS)(
    'keeps RFC 8216 §6.2.1–6.2.2 in every %s playlist fetched across the restart',
    (rendition) => {
      const fetched = texts.get(rendition) ?? [];
      expect(fetched.length).toBeGreaterThan(40);
      expect(livePlaylistProblems(fetched)).toEqual([]);
      // The restart happened in what was fetched: one discontinuity came, and went with the killed run.
      expect(fetched.some((text) => text.includes('\n#EXT-X-DISCONTINUITY\n#EXT-X-MAP:'))).toBe(true);
      expect(readLivePlaylist(fetched.at(-1) ?? '').discontinuitySequence).toBe(1);
    },
  );

  it('gives both renditions the same segment at each media sequence number', () => {
    const sequences = RENDITIONS.map((rendition) => {
      const byNumber = new Map<number, string>();
      for (const text of texts.get(rendition) ?? []) {
        for (const segment of readLivePlaylist(text).segments) byNumber.set(segment.sequence, segment.uri);
      }
      return byNumber;
    });
    const [low, high] = sequences as [Map<number, string>, Map<number, string>];
    const shared = [...low.keys()].filter((sequence) => high.has(sequence));
    expect(shared.length).toBeGreaterThan(10);
    for (const sequence of shared) expect(low.get(sequence)).toBe(high.get(sequence));
  });

  it('deletes the killed run’s files once no playlist lists them, and keeps the new run’s', () => {
    const first = readLivePlaylist(texts.get('240p')?.[0] ?? '');
    const last = readLivePlaylist(texts.get('240p')?.at(-1) ?? '');
    const files = (playlist: typeof first) => [
      playlist.segments[0]?.map ?? 'no map',
      ...playlist.segments.map((segment) => segment.uri),
    ];
    // The packager's folder is the one in this file's own tmpdir holding our newest files.
    const folders = readdirSync(tmpdir())
      .filter((name) => name.startsWith(`onair-hls-${ID}-`))
      .map((name) => join(tmpdir(), name, '240p'))
      .filter((folder) => files(last).every((file) => existsSync(join(folder, file))));
    expect(folders).toHaveLength(1);
    for (const old of files(first)) expect(existsSync(join(folders[0] as string, old)), old).toBe(false);
  });

  it('keeps ffmpeg -copyts reading the live playlist through the restart', async () => {
    // Still running and reading the new run's segments, or done without an error.
    const opened = segmentsOpened(reader.stderr());
    expect(readerExit ?? 0, reader.stderr()).toBe(0);
    expect(Math.max(...opened), reader.stderr()).toBeGreaterThanOrEqual(firstAfterRestart);
    const openedBefore = opened.length;
    await sleep(3_000);
    expect(readerExit ?? 0, reader.stderr()).toBe(0);
    expect(segmentsOpened(reader.stderr()).length).toBeGreaterThan(openedBefore);
    expect(reader.stderr()).not.toMatch(/\berror\b|Invalid data|non monotonically/i);
  });
});
