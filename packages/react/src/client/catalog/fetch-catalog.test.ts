import { describe, expect, it } from 'vitest';
import { fetchCatalog } from './fetch-catalog';

describe('fetchCatalog', () => {
  it('says a refused or unreachable catalog was blocked (CORS) or the network failed, not "Failed to fetch"', async () => {
    const blocked = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    await expect(fetchCatalog(blocked, 'http://media.test/live/videos')).rejects.toThrow(
      'GET http://media.test/live/videos failed: the browser blocked the request or the network failed ' +
        '(a server on another origin must allow this page with CORS headers)',
    );
  });

  it("gives the server's reason with its status", async () => {
    const body = JSON.stringify({ error: { code: 'ONAIR_UNAUTHORIZED', message: 'token required' } });
    const refusing = (async () => new Response(body, { status: 401 })) as typeof fetch;
    await expect(fetchCatalog(refusing, '/live/videos')).rejects.toThrow(
      'GET /live/videos answered 401: token required',
    );
  });
});
