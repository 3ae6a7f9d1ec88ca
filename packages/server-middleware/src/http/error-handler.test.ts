import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resolveOptions } from '../options/live-stream-options';
import { asyncRoute } from './async-route';
import { mountErrorHandler } from './error-handler';

describe('mountErrorHandler', () => {
  let server: Server | null = null;
  afterEach(() => {
    server?.close();
    server = null;
  });

  /** A host with its own error handler, which prints what it gets (as Express's default does in development). */
  async function hostWithFailingRoutes(error: (message: string, details?: object) => void): Promise<string> {
    const middleware = express();
    middleware.get('/sync', () => {
      throw new Error('failed reading /srv/secret/videos/a.mp4');
    });
    middleware.get(
      '/async',
      asyncRoute(async () => {
        throw new Error('failed reading /srv/secret/videos/b.mp4');
      }),
    );
    middleware.get('/client', (_req, _res, next) => next(Object.assign(new Error('bad'), { status: 400 })));
    mountErrorHandler(middleware, { ...resolveOptions({}), logger: { error, warn: vi.fn() } });
    const host = express();
    host.get('/own', () => {
      throw new Error('the host route failed');
    });
    host.use('/live', middleware);
    host.use(((hostError, _req, res, _next) => {
      res.status(500).type('html').send(`<pre>${hostError.stack}</pre>`);
    }) as express.ErrorRequestHandler);
    server = host.listen(0, '127.0.0.1');
    await new Promise((resolve) => server?.once('listening', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it.each(['sync', 'async'])(
    'answers a %s failure as JSON 500 ONAIR_INTERNAL, never with the stack, and logs it whole',
    async (route) => {
      const error = vi.fn();
      const origin = await hostWithFailingRoutes(error);
      const response = await fetch(`${origin}/live/${route}`);
      expect(response.status).toBe(500);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const body = await response.text();
      expect(JSON.parse(body)).toEqual({
        error: { code: 'ONAIR_INTERNAL', message: 'the server failed; the details are in its log' },
      });
      expect(body).not.toContain('/srv/secret');
      expect(error).toHaveBeenCalledWith('request failed', {
        error: expect.objectContaining({ message: expect.stringContaining('/srv/secret') }),
        method: 'GET',
        path: `/live/${route}`,
      });
    },
  );

  it("still answers the client's mistakes with a 4xx", async () => {
    const origin = await hostWithFailingRoutes(vi.fn());
    const response = await fetch(`${origin}/live/client`);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: { code: 'ONAIR_BAD_REQUEST', message: 'bad request' } });
  });

  it("leaves the host's own errors to the host", async () => {
    const error = vi.fn();
    const origin = await hostWithFailingRoutes(error);
    const response = await fetch(`${origin}/own`);
    expect(response.status).toBe(500);
    expect(await response.text()).toContain('the host route failed');
    expect(error).not.toHaveBeenCalled();
  });
});
