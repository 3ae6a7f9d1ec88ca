import { request } from 'node:http';
import { ErrorCode } from '@onair/protocol';
import type { LiveStreamOptions } from '@onair/server-middleware';
import { afterAll, describe, expect, it } from 'vitest';
import { fixturePath } from '../fixtures/fixture-files';
import { type RunningHost, startHost } from './helpers/host-app';
import type { RawResponse } from './helpers/http-get';

const PAGE = 'http://app.example';

function send(
  origin: string,
  method: string,
  path: string,
  headers: Record<string, string>,
): Promise<RawResponse> {
  const url = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, method, path, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const preflight = (host: RunningHost, path: string, origin = PAGE) =>
  send(host.origin, 'OPTIONS', path, {
    origin,
    'access-control-request-method': 'GET',
    'access-control-request-headers': 'authorization',
  });

// Hosts are started per test group and closed at the end; no ffmpeg is needed for any of these answers.
const hosts: RunningHost[] = [];
async function hostWith(options: LiveStreamOptions): Promise<RunningHost> {
  const host = await startHost([{ id: 'clip', input: fixturePath('videoOnly') }], { hls: true, ...options });
  hosts.push(host);
  return host;
}

afterAll(async () => {
  await Promise.all(hosts.map((host) => host.close()));
});

describe('CORS on the catalog, thumbnails and HLS', () => {
  it('answers * without credentials by default, on answers and errors alike', async () => {
    const host = await hostWith({});
    for (const path of ['/live/videos', '/live/videos/nope/thumbnail.jpg', '/live/hls/nope/master.m3u8']) {
      const response = await send(host.origin, 'GET', path, { origin: PAGE });
      expect([path, response.headers['access-control-allow-origin']]).toEqual([path, '*']);
      expect(response.headers['access-control-allow-credentials']).toBeUndefined();
    }
  });

  it('answers a preflight 204 with the methods and the headers asked for, before any route runs', async () => {
    const host = await hostWith({});
    for (const path of ['/live/hls/clip/master.m3u8', '/live/hls/clip/360p/seg-1.m4s', '/live/videos']) {
      const response = await preflight(host, path);
      expect([path, response.status]).toEqual([path, 204]);
      expect(response.headers['access-control-allow-origin']).toBe('*');
      expect(response.headers['access-control-allow-methods']).toBe('GET, HEAD, OPTIONS');
      expect(response.headers['access-control-allow-headers']).toBe('authorization');
      expect(Number(response.headers['access-control-max-age'])).toBeGreaterThan(0);
    }
    // A preflight is not a viewer: no packager started.
    expect(host.live.stats().hls[0]?.state).toBe('idle');
  });

  it('leaves the chat REST routes without CORS (they are for hosts and bots)', async () => {
    const host = await hostWith({});
    const response = await send(host.origin, 'GET', '/live/streams/clip/chat', { origin: PAGE });
    expect(response.status).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('names a listed origin back with credentials and Vary, and refuses the preflight of any other', async () => {
    const host = await hostWith({ cors: [PAGE] });
    const allowed = await send(host.origin, 'GET', '/live/videos', { origin: PAGE });
    expect(allowed.headers['access-control-allow-origin']).toBe(PAGE);
    expect(allowed.headers['access-control-allow-credentials']).toBe('true');
    expect(allowed.headers.vary).toMatch(/Origin/);
    expect((await preflight(host, '/live/videos')).status).toBe(204);

    const other = await send(host.origin, 'GET', '/live/videos', { origin: 'http://evil.example' });
    expect(other.status).toBe(200);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const refused = await preflight(host, '/live/videos', 'http://evil.example');
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body.toString()).error.code).toBe(ErrorCode.Forbidden);
  });

  it('sends no CORS headers and answers no preflight with cors: false', async () => {
    const host = await hostWith({ cors: false });
    const response = await send(host.origin, 'GET', '/live/videos', { origin: PAGE });
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    const refused = await preflight(host, '/live/hls/clip/master.m3u8');
    expect(refused.status).not.toBe(204);
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
  });
});
