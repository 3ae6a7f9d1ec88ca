import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CliFailure } from '../cli-error';
import { findMount } from './find-mount';

const servers: Server[] = [];

/** A server answering `routes[path]` (JSON unless it starts with `<`), 404 elsewhere; resolves to its origin. */
async function serverWith(routes: Record<string, unknown>): Promise<string> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    if (!(path in routes)) {
      response.writeHead(404).end('not found');
      return;
    }
    const body = routes[path];
    if (typeof body === 'string' && body.startsWith('<'))
      response.writeHead(200, { 'content-type': 'text/html' });
    else response.writeHead(200, { 'content-type': 'application/json' });
    response.end(typeof body === 'string' && body.startsWith('<') ? body : JSON.stringify(body));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

describe('findMount', () => {
  it('keeps a URL that is the mount, query included', async () => {
    const origin = await serverWith({ '/tv/videos': [] });
    expect((await findMount(new URL(`${origin}/tv?token=t`))).href).toBe(`${origin}/tv?token=t`);
  });

  it('follows the mount the page advertises (the page URL `onair serve` prints)', async () => {
    const origin = await serverWith({
      '/': '<html><head><meta name="onair-url" content="/tv" /></head></html>',
      '/tv/videos': [],
    });
    expect((await findMount(new URL(`${origin}/`))).href).toBe(`${origin}/tv`);
  });

  it('falls back to /live on the same server', async () => {
    const origin = await serverWith({ '/': { app: 'mine' }, '/live/videos': [] });
    expect((await findMount(new URL(`${origin}/`))).href).toBe(`${origin}/live`);
  });

  it('says what was tried and what to give when there is no mount', async () => {
    const origin = await serverWith({ '/': '<html>my app</html>' });
    const failure = await findMount(new URL(`${origin}/`)).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CliFailure);
    expect((failure as Error).message).toContain(
      `no OnAir mount at ${origin}/: ${origin}/videos is not a catalog`,
    );
    expect((failure as Error).message).toContain('the path passed to app.use()');
  });

  it('takes a WebSocket URL as given', async () => {
    expect((await findMount(new URL('ws://127.0.0.1:1/anything'))).href).toBe('ws://127.0.0.1:1/anything');
  });
});
