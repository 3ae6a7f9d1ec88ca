import { once } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { CloseCode, decodeServerMessage, ErrorCode, PROTOCOL_VERSION } from '@onair/protocol';
import { liveStream } from '@onair/server-middleware';
import express from 'express';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { fixturePath } from '../fixtures/fixture-files';
import { mediaChildren } from './helpers/child-processes';
import { closeServer, type RunningHost, startHost } from './helpers/host-app';
import { json, rawGet } from './helpers/http-get';
import { refusedUpgradeStatus, TestViewer } from './helpers/test-viewer';

// Express 5 dropped `express.query`; the integration-express4 project aliases `express` to Express 4.
const EXPRESS_MAJOR = 'query' in express ? 4 : 5;

const VIDEOS = [
  fixturePath('audioVideo'),
  { id: 'quiet', title: 'No sound', input: fixturePath('videoOnly') },
];

describe('the middleware mounted in a host app', () => {
  let host: RunningHost;

  beforeAll(async () => {
    host = await startHost(VIDEOS, { idleTimeoutMs: 200, thumbnailWidth: 160 });
  });

  afterAll(async () => {
    await host?.close();
  });

  it(`is an app of the host's own Express (${EXPRESS_MAJOR})`, () => {
    expect(host.live.use).toBe(express.application.use);
    expect(typeof host.live.attach).toBe('function');
  });

  it('serves the catalog under the mount path, valid against the protocol, uncached', async () => {
    const response = await rawGet(host.origin, '/live/videos');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.headers['cache-control']).toBe('no-cache');
    const videos = json(response);
    const asMessage = decodeServerMessage(JSON.stringify({ type: 'catalog', videos }));
    expect(asMessage.ok).toBe(true);
    expect(videos).toEqual([
      {
        id: 'av-320x240-30fps',
        title: 'av-320x240-30fps',
        duration: expect.closeTo(4, 1),
        width: 320,
        height: 240,
        fps: 30,
        hasAudio: true,
        thumbnailUrl: '/live/videos/av-320x240-30fps/thumbnail.jpg',
        hlsUrl: null,
        status: 'live',
        scheduledAt: null,
      },
      {
        id: 'quiet',
        title: 'No sound',
        duration: expect.closeTo(3, 1),
        width: 160,
        height: 120,
        fps: 25,
        hasAudio: false,
        thumbnailUrl: '/live/videos/quiet/thumbnail.jpg',
        hlsUrl: null,
        status: 'live',
        scheduledAt: null,
      },
    ]);
  });

  it("leaves the host's own routes and 404s to the host", async () => {
    expect(json(await rawGet(host.origin, '/health'))).toEqual({ ok: true });
    const unknownUnderMount = await rawGet(host.origin, '/live/nothing-here');
    expect(unknownUnderMount.status).toBe(404);
    expect(json(unknownUnderMount)).toEqual({ hostNotFound: true });
    expect(json(await rawGet(host.origin, '/elsewhere'))).toEqual({ hostNotFound: true });
  });

  it('serves a real JPEG thumbnail at the live position, with a short max-age', async () => {
    const response = await rawGet(host.origin, '/live/videos/av-320x240-30fps/thumbnail.jpg');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('image/jpeg');
    expect(response.headers['cache-control']).toBe('public, max-age=5');
    expect([...response.body.subarray(0, 2)]).toEqual([0xff, 0xd8]);
    expect([...response.body.subarray(-2)]).toEqual([0xff, 0xd9]);
    const image = await sharp(response.body).metadata();
    expect(image).toMatchObject({ format: 'jpeg', width: 160, height: 120 });
  });

  it.each([
    '/live/videos/..%2F..%2F..%2Fetc%2Fpasswd/thumbnail.jpg',
    '/live/videos/%2e%2e/thumbnail.jpg',
    '/live/videos/..%5C..%5Cwindows/thumbnail.jpg',
    '/live/videos/av-320x240-30fps%00/thumbnail.jpg',
    '/live/videos/%E0%A4%A/thumbnail.jpg',
    '/live/videos/av-320x240-30fps%2Fthumbnail.jpg/thumbnail.jpg',
  ])('refuses the path trick %s without reading a file', async (path) => {
    const response = await rawGet(host.origin, path);
    expect([400, 404]).toContain(response.status);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.body.toString()).not.toContain('root:');
  });

  it('answers an unknown video id with a 404 in the error format', async () => {
    const response = await rawGet(host.origin, '/live/videos/no-such-video/thumbnail.jpg');
    expect(response.status).toBe(404);
    expect(json(response)).toEqual({ error: { code: ErrorCode.UnknownVideo, message: expect.any(String) } });
  });

  it('accepts viewers on /live/ws and refuses upgrades on paths it does not own', async () => {
    const viewer = await TestViewer.connect(host.wsUrl);
    const welcome = viewer.messages[0];
    expect(welcome).toMatchObject({ type: 'welcome', protocolVersion: PROTOCOL_VERSION, ackWindow: 16 });
    viewer.close();
    expect(await refusedUpgradeStatus(`${host.wsUrl.replace('/live/ws', '/ws')}`)).toBe(404);
  });

  it('shares the HTTP server with a WebSocket server of the host on another path', async () => {
    const hostSockets = new WebSocketServer({ noServer: true });
    hostSockets.on('connection', (ws) => ws.send('hello from the host'));
    const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (req.url === '/host-ws')
        hostSockets.handleUpgrade(req, socket, head, (ws) => hostSockets.emit('connection', ws));
    };
    host.server.on('upgrade', onUpgrade);
    try {
      const client = new WebSocket(host.wsUrl.replace('/live/ws', '/host-ws'));
      const [greeting] = await once(client, 'message');
      expect(String(greeting)).toBe('hello from the host');
      client.terminate();
      const viewer = await TestViewer.connect(host.wsUrl);
      expect(viewer.messages[0]?.type).toBe('welcome');
      viewer.close();
    } finally {
      host.server.off('upgrade', onUpgrade);
      hostSockets.close();
    }
  });
});

describe('mount paths', () => {
  it('puts the catalog and the socket at the root when mounted with app.use(live)', async () => {
    const app = express();
    const live = liveStream([fixturePath('videoOnly')], { logger: false });
    app.use(live);
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    live.attach(server);
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const videos = json(await rawGet(origin, '/videos')) as { thumbnailUrl: string }[];
      expect(videos[0]?.thumbnailUrl).toBe('/videos/video-only-160x120-25fps/thumbnail.jpg');
      const viewer = await TestViewer.connect(`${origin.replace('http', 'ws')}/ws`);
      viewer.send({ type: 'catalog' });
      const catalog = await viewer.next('catalog');
      expect(catalog.videos[0]?.thumbnailUrl).toBe('/videos/video-only-160x120-25fps/thumbnail.jpg');
      viewer.close();
    } finally {
      await live.close();
      await closeServer(server);
    }
  });

  it('follows nested mounts: an app under /api mounting the middleware under /live', async () => {
    const app = express();
    const api = express();
    const live = liveStream([fixturePath('videoOnly')], { logger: false });
    api.use('/live', live);
    app.use('/api', api);
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    live.attach(server);
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const videos = json(await rawGet(origin, '/api/live/videos')) as { thumbnailUrl: string }[];
      expect(videos[0]?.thumbnailUrl).toBe('/api/live/videos/video-only-160x120-25fps/thumbnail.jpg');
      const viewer = await TestViewer.connect(`${origin.replace('http', 'ws')}/api/live/ws`);
      expect(viewer.messages[0]?.type).toBe('welcome');
      viewer.close();
    } finally {
      await live.close();
      await closeServer(server);
    }
  });
});

describe('hosts that route upgrades themselves', () => {
  it('takes /live/ws through handleUpgrade() and returns false for the paths the host owns', async () => {
    const app = express();
    const live = liveStream([fixturePath('videoOnly')], { logger: false });
    app.use('/live', live);
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const declined: string[] = [];
    server.on('upgrade', (req, socket, head) => {
      if (live.handleUpgrade(req, socket, head)) return;
      declined.push(req.url ?? '');
      socket.destroy();
    });
    const wsOrigin = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const viewer = await TestViewer.connect(`${wsOrigin}/live/ws`);
      expect(viewer.messages[0]?.type).toBe('welcome');
      viewer.close();
      await expect(refusedUpgradeStatus(`${wsOrigin}/chat`)).rejects.toThrow();
      expect(declined).toEqual(['/chat']);
    } finally {
      await live.close();
      await closeServer(server);
    }
  });
});

describe('close()', () => {
  it('closes viewers with 1001, leaves no ffmpeg child, and lets the HTTP server close', async () => {
    const host = await startHost(VIDEOS, { idleTimeoutMs: 60_000 });
    const viewer = await TestViewer.connect(host.wsUrl);
    viewer.send({ type: 'select', videoId: 'quiet' });
    await viewer.collectVideo(3);
    const thumbnail = rawGet(host.origin, '/live/videos/av-320x240-30fps/thumbnail.jpg');
    const decoderPid = host.live.stats().channels.find((channel) => channel.id === 'quiet')?.decoder.pid;
    expect(mediaChildren().map((child) => child.pid)).toContain(decoderPid);

    await host.live.close();
    await thumbnail.catch(() => undefined);

    expect(mediaChildren()).toEqual([]);
    expect(await viewer.closed()).toEqual({ code: CloseCode.ServerClosing, reason: 'server closing' });
    expect(viewer.messages.at(-1)).toMatchObject({
      type: 'error',
      code: ErrorCode.ServerClosing,
      fatal: true,
    });
    expect(host.live.stats()).toMatchObject({ viewers: 0 });
    expect(host.live.stats().channels.every((channel) => !channel.decoder.running)).toBe(true);
    await new Promise<void>((resolve, reject) =>
      host.server.close((error) => (error ? reject(error) : resolve())),
    );
    expect(host.server.listening).toBe(false);
    await expect(refusedUpgradeStatus(host.wsUrl)).rejects.toThrow(/ECONNREFUSED/);
  });
});
