import { ErrorCode, MAX_DISPLAY_NAME_LENGTH } from '@onair/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath } from '../fixtures/fixture-files';
import { type RunningHost, startHost } from './helpers/host-app';
import { headerRoles } from './helpers/social';

describe('REST chat and reactions are rate limited per sender, like a socket', () => {
  let host: RunningHost;
  let base: string;

  beforeAll(async () => {
    host = await startHost([{ id: 'show', input: fixturePath('videoOnly') }], {
      authorize: headerRoles,
      chatRateLimit: { burst: 2, sustained: 1, windowMs: 60_000 },
      reactionRateLimit: { burst: 3, sustained: 1, windowMs: 60_000 },
    });
    // The host trusts its proxy; the middleware, mounted in it, must see the same client addresses.
    host.app.set('trust proxy', true);
    base = `${host.origin}/live/streams/show`;
  });

  afterAll(async () => {
    await host?.close();
  });

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  it('answers the post past the burst with 429 ONAIR_RATE_LIMITED and Retry-After, and stores nothing', async () => {
    const from = { 'x-forwarded-for': '203.0.113.1' };
    expect((await post('/chat', { text: 'one' }, from)).status).toBe(201);
    expect((await post('/chat', { text: 'two' }, from)).status).toBe(201);
    const refused = await post('/chat', { text: 'three' }, from);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const { error } = (await refused.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe(ErrorCode.RateLimited);
    expect(error.message).toMatch(/too many messages; try again in \d+ ms/);

    const listed = (await (await fetch(`${base}/chat`)).json()) as { messages: { text: string }[] };
    expect(listed.messages.map((message) => message.text)).toEqual(['one', 'two']);
  });

  it('keeps a separate budget for another client address and for each name authorize grants', async () => {
    expect((await post('/chat', { text: 'elsewhere' }, { 'x-forwarded-for': '203.0.113.2' })).status).toBe(
      201,
    );
    // A host relaying many users from one address names them in authorize: each has its own budget.
    const sameAddress = { 'x-forwarded-for': '203.0.113.1' };
    expect((await post('/chat', { text: 'as ada' }, { ...sameAddress, 'x-name': 'Ada' })).status).toBe(201);
    expect((await post('/chat', { text: 'as bo' }, { ...sameAddress, 'x-name': 'Bo' })).status).toBe(201);
    expect((await post('/chat', { text: 'still no' }, sameAddress)).status).toBe(429);
  });

  it('checks a post before spending a token, refuses the names a socket refuses, and keeps one guest name per address', async () => {
    const from = { 'x-forwarded-for': '203.0.113.4' };
    const malformed = [
      { text: ' \n ' },
      { text: 'hi', displayName: 'n'.repeat(MAX_DISPLAY_NAME_LENGTH * 4 + 1) },
      { text: 'hi', displayName: 42 },
    ];
    for (const body of malformed) expect((await post('/chat', body, from)).status).toBe(400);
    const names: string[] = [];
    for (const text of ['first', 'second']) {
      const answer = await post('/chat', { text }, from);
      expect(answer.status).toBe(201);
      names.push(((await answer.json()) as { message: { displayName: string } }).message.displayName);
    }
    expect(names[0]).toMatch(/^Guest-[0-9a-f]{4}$/);
    expect(names[1]).toBe(names[0]);
  });

  it('limits reactions the same way, with their own budget', async () => {
    const from = { 'x-forwarded-for': '203.0.113.3' };
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await post('/reactions', { emoji: '🔥' }, from)).status);
    expect(statuses).toEqual([202, 202, 202, 429]);
    // Chat from the same address is untouched by the reactions spent.
    expect((await post('/chat', { text: 'chat still works' }, from)).status).toBe(201);
  });
});
