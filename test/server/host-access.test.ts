import { ErrorCode } from '@onair/protocol';
import type { AuthorizeContext } from '@onair/server-middleware';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath } from '../fixtures/fixture-files';
import { type RunningHost, startHost } from './helpers/host-app';
import { refusedUpgradeStatus, TestViewer } from './helpers/test-viewer';

describe('authorize and origin checks on the WebSocket upgrade', () => {
  let host: RunningHost;
  const asked: AuthorizeContext[] = [];

  beforeAll(async () => {
    host = await startHost(
      [
        { id: 'open', input: fixturePath('videoOnly') },
        { id: 'members', input: fixturePath('videoOnly') },
      ],
      {
        origin: ['http://allowed.example'],
        authorize: async (context) => {
          asked.push(context);
          if (context.req.headers['x-token'] !== 'let-me-in')
            return { status: 401, message: 'token required' };
          return context.streamId !== 'members';
        },
      },
    );
  });

  afterAll(async () => {
    await host?.close();
  });

  it('refuses an upgrade without credentials with 401, before any socket exists', async () => {
    expect(await refusedUpgradeStatus(host.wsUrl)).toBe(401);
    expect(host.live.stats().viewers).toBe(0);
  });

  it('refuses an upgrade from an origin that is not on the allow-list with 403', async () => {
    const headers = { 'x-token': 'let-me-in', origin: 'http://evil.example' };
    expect(await refusedUpgradeStatus(host.wsUrl, headers)).toBe(403);
  });

  it('lets an authorized viewer from an allowed origin in, and passes the ?video= id to the hook', async () => {
    const viewer = await TestViewer.connect(`${host.wsUrl}?video=open`, {
      headers: { 'x-token': 'let-me-in', origin: 'http://allowed.example' },
    });
    expect(viewer.messages[0]?.type).toBe('welcome');
    expect(asked.at(-1)).toMatchObject({ role: 'viewer', streamId: 'open', videoId: 'open' });
    viewer.close();
  });

  it('asks again on select and refuses a video the viewer may not watch, keeping the socket usable', async () => {
    const viewer = await TestViewer.connect(host.wsUrl, { headers: { 'x-token': 'let-me-in' } });
    viewer.send({ type: 'select', videoId: 'members' });
    const refusal = await viewer.nextError(ErrorCode.Unauthorized);
    expect(refusal.fatal).toBe(false);
    viewer.send({ type: 'select', videoId: 'open' });
    expect((await viewer.next('stream')).videoId).toBe('open');
    await viewer.collectVideo(2);
    viewer.close();
  });

  it('lists in the socket catalog only the videos authorize lets this viewer watch', async () => {
    const viewer = await TestViewer.connect(host.wsUrl, { headers: { 'x-token': 'let-me-in' } });
    viewer.send({ type: 'catalog' });
    const catalog = await viewer.next('catalog');
    expect(catalog.videos.map((video) => video.id)).toEqual(['open']);
    viewer.close();
  });
});
