import { request } from 'node:http';
import { ErrorCode } from '@onair/protocol';
import type { AuthorizeContext } from '@onair/server-middleware';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as supervised from '../../packages/server-middleware/src/ffmpeg/supervised-child';
import { fixturePath } from '../fixtures/fixture-files';
import { type RunningHost, startHost } from './helpers/host-app';
import type { RawResponse } from './helpers/http-get';

// Every ffmpeg the middleware starts goes through spawnSupervised: counting its calls counts the spawns.
vi.mock('../../packages/server-middleware/src/ffmpeg/supervised-child', async (importOriginal) => {
  const actual = await importOriginal<typeof supervised>();
  return { ...actual, spawnSupervised: vi.fn(actual.spawnSupervised) };
});
const spawns = () => vi.mocked(supervised.spawnSupervised).mock.calls.length;

const ID = 'av';
const MASTER = `/live/hls/${ID}/master.m3u8`;
const RENDITION = `/live/hls/${ID}/240p/index.m3u8`;
const THUMBNAIL = `/live/videos/${ID}/thumbnail.jpg`;
const GUARDED = [
  MASTER,
  RENDITION,
  `/live/hls/${ID}/240p/init-0.mp4`,
  `/live/hls/${ID}/240p/seg-1.m4s`,
  THUMBNAIL,
];

/** The hook's token, from `?token=` or the `onair_token` cookie, as a host would read it. */
function tokenOf(context: AuthorizeContext): string | null {
  const query = new URL(context.req.url ?? '/', 'http://host.invalid').searchParams.get('token');
  const cookie = /(?:^|;\s*)onair_token=([^;]*)/.exec(context.req.headers.cookie ?? '')?.[1];
  return query ?? cookie ?? null;
}

function get(origin: string, path: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  const url = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const errorCode = (response: RawResponse) =>
  (JSON.parse(response.body.toString()) as { error: { code: string } }).error.code;

/** A playlist's URIs (lines and `URI="…"`), resolved against the playlist's own URL, as a player does. */
function listedPaths(response: RawResponse, playlistPath: string): string[] {
  const text = response.body.toString();
  const uris = [
    ...[...text.matchAll(/URI="([^"]+)"/g)].map((match) => match[1] ?? ''),
    ...text.split('\n').filter((line) => line !== '' && !line.startsWith('#')),
  ];
  return uris.map((uri) => {
    const url = new URL(uri, `http://host.invalid${playlistPath}`);
    return `${url.pathname}${url.search}`;
  });
}

describe('authorize on HLS, thumbnails and the catalog', () => {
  let host: RunningHost;

  beforeAll(async () => {
    host = await startHost(
      [
        { id: ID, input: fixturePath('audioVideo') },
        { id: 'staff-only', input: fixturePath('videoOnly') },
      ],
      {
        hls: { segmentSeconds: 1, windowSegments: 4, idleTimeoutMs: 5_000 },
        authorize: (context) => {
          const token = tokenOf(context);
          if (token === null) return { status: 401, message: 'token required' };
          return token === 'good' && context.streamId !== 'staff-only';
        },
      },
    );
  });

  afterAll(async () => {
    await host?.close();
  });

  it('answers every HLS URL and the thumbnail 401 JSON without a token, 403 with a bad one, and spawns no ffmpeg', async () => {
    for (const path of GUARDED) {
      const missing = await get(host.origin, path);
      expect([path, missing.status]).toEqual([path, 401]);
      expect(missing.headers['content-type']).toMatch(/^application\/json/);
      expect(errorCode(missing)).toBe(ErrorCode.Unauthorized);

      const wrong = await get(host.origin, `${path}?token=bad`, { cookie: 'onair_token=bad' });
      expect([path, wrong.status]).toEqual([path, 403]);
      expect(errorCode(wrong)).toBe(ErrorCode.Forbidden);
    }
    expect(spawns()).toBe(0);
    expect(host.live.stats().hls.map((packager) => packager.state)).toEqual(['idle', 'idle']);
  });

  it('answers the catalog 401 without a token, and lists only the videos the token may watch', async () => {
    const refused = await get(host.origin, '/live/videos');
    expect(refused.status).toBe(401);
    expect(errorCode(refused)).toBe(ErrorCode.Unauthorized);

    const listed = await get(host.origin, '/live/videos?token=good');
    expect(listed.status).toBe(200);
    expect(listed.headers['cache-control']).toBe('private, no-cache');
    expect((JSON.parse(listed.body.toString()) as { id: string }[]).map((video) => video.id)).toEqual([ID]);
  });

  it('serves a token in the query on the master playlist, and every URI it leads to carries it', async () => {
    const master = await get(host.origin, `${MASTER}?token=good`);
    expect(master.status).toBe(200);
    const [rendition] = listedPaths(master, MASTER);
    expect(rendition).toBe(`${RENDITION}?token=good`);

    const playlist = await get(host.origin, rendition ?? '');
    expect(playlist.status).toBe(200);
    const media = listedPaths(playlist, RENDITION);
    expect(media.length).toBeGreaterThanOrEqual(2);
    expect(media.every((path) => path.endsWith('?token=good'))).toBe(true);
    for (const path of [media[0], media.at(-1)]) {
      const segment = await get(host.origin, path ?? '');
      expect([path, segment.status]).toEqual([path, 200]);
      expect(segment.headers['content-type']).toBe('video/mp4');
      expect(segment.headers['cache-control']).toBe('private, max-age=31536000, immutable');
    }
    expect(spawns()).toBeGreaterThan(0);
  });

  it('serves the same requests with the token in a cookie instead', async () => {
    const cookie = { cookie: 'theme=dark; onair_token=good' };
    const master = await get(host.origin, MASTER, cookie);
    expect(master.status).toBe(200);
    const playlist = await get(host.origin, RENDITION, cookie);
    expect(playlist.status).toBe(200);
    const newest = listedPaths(playlist, RENDITION).at(-1) ?? '';
    expect(newest).toMatch(/\/seg-\d+\.m4s$/);
    expect((await get(host.origin, newest, cookie)).status).toBe(200);
    const thumbnail = await get(host.origin, THUMBNAIL, cookie);
    expect(thumbnail.status).toBe(200);
    expect(thumbnail.headers['content-type']).toBe('image/jpeg');
    expect(thumbnail.headers['cache-control']).toMatch(/^private, max-age=\d+$/);
    expect((await get(host.origin, `${THUMBNAIL}?token=good`)).status).toBe(200);
  });

  it('still refuses a stream the token may not watch while others play', async () => {
    const before = spawns();
    for (const path of ['/live/hls/staff-only/master.m3u8', '/live/videos/staff-only/thumbnail.jpg']) {
      const refused = await get(host.origin, `${path}?token=good`);
      expect([path, refused.status]).toEqual([path, 403]);
    }
    expect(spawns()).toBe(before);
  });
});
