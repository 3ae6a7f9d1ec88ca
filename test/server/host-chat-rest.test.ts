import { ErrorCode, MAX_CHAT_LENGTH } from '@onair/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath } from '../fixtures/fixture-files';
import { type RunningHost, startHost } from './helpers/host-app';
import { headerRoles, joinRoom, received, requestJson, waitForMessage } from './helpers/social';
import { TestViewer } from './helpers/test-viewer';

interface Message {
  id: string;
  text: string;
  displayName: string;
}

describe('chat REST routes for hosts and bots', () => {
  let host: RunningHost;
  let viewer: TestViewer;
  let base: string;
  const moderator = { 'x-role': 'moderator' };
  const errorCode = (body: unknown) => (body as { error: { code: string } }).error.code;

  beforeAll(async () => {
    host = await startHost([{ id: 'show', input: fixturePath('videoOnly') }], {
      authorize: (context) =>
        context.req.headers['x-role'] === 'nobody' ? { status: 401 } : headerRoles(context),
    });
    base = `${host.origin}/live/streams`;
    viewer = await TestViewer.connect(host.wsUrl);
    await joinRoom(viewer, 'show');
  });

  afterAll(async () => {
    viewer?.close();
    await host?.close();
  });

  it('posts a message (201), fans it out to viewers, lists it, and answers a resend with the same message (200)', async () => {
    const posted = await requestJson(`${base}/show/chat`, {
      method: 'POST',
      body: { text: ' from a bot ', displayName: 'Bot', clientId: 'bot-1' },
    });
    expect(posted.status).toBe(201);
    const { message } = posted.body as { message: Message };
    expect(message).toMatchObject({ text: 'from a bot', displayName: 'Bot' });
    await waitForMessage(viewer, 'chat-message', (event) => event.message.id === message.id);

    const again = await requestJson(`${base}/show/chat`, {
      method: 'POST',
      body: { text: 'from a bot', clientId: 'bot-1' },
    });
    expect(again).toEqual({ status: 200, body: { message } });
    const listed = await requestJson(`${base}/show/chat`);
    expect(listed.status).toBe(200);
    expect(
      (listed.body as { messages: Message[] }).messages.filter((entry) => entry.id === message.id),
    ).toHaveLength(1);
  });

  it('pins, unpins and deletes as a moderator; refuses the same as a chatter with 403 ONAIR_FORBIDDEN', async () => {
    const { body } = await requestJson(`${base}/show/chat`, { method: 'POST', body: { text: 'pin this' } });
    const { message } = body as { message: Message };
    const url = `${base}/show/chat/${message.id}`;

    const forged = await requestJson(`${url}/pin`, { method: 'POST' });
    expect(forged.status).toBe(403);
    expect(errorCode(forged.body)).toBe(ErrorCode.Forbidden);
    const forgedDelete = await requestJson(url, { method: 'DELETE' });
    expect(forgedDelete.status).toBe(403);

    const pinned = await requestJson(`${url}/pin`, { method: 'POST', headers: moderator });
    expect(pinned).toEqual({ status: 200, body: { pinned: message } });
    await waitForMessage(viewer, 'chat-pinned', (event) => event.message?.id === message.id);
    expect(((await requestJson(`${base}/show/chat`)).body as { pinned: Message }).pinned).toEqual(message);
    const unpinned = await requestJson(`${url}/pin`, { method: 'DELETE', headers: moderator });
    expect(unpinned).toEqual({ status: 200, body: { pinned: null } });

    expect((await requestJson(url, { method: 'DELETE', headers: moderator })).status).toBe(204);
    await waitForMessage(viewer, 'chat-deleted', (event) => event.messageId === message.id);
    const listed = (await requestJson(`${base}/show/chat`)).body as { messages: Message[] };
    expect(listed.messages.map((entry) => entry.id)).not.toContain(message.id);
    const gone = await requestJson(url, { method: 'DELETE', headers: moderator });
    expect(gone.status).toBe(404);
    expect(errorCode(gone.body)).toBe(ErrorCode.UnknownChatMessage);
  });

  it('refuses bad bodies with the same codes as the WebSocket and stores nothing', async () => {
    const before = ((await requestJson(`${base}/show/chat`)).body as { messages: Message[] }).messages.length;
    const cases: [unknown, number, string][] = [
      [{ text: '' }, 400, ErrorCode.ChatEmpty],
      [{ text: '   \n ' }, 400, ErrorCode.ChatEmpty],
      [{ text: 'x'.repeat(MAX_CHAT_LENGTH + 1) }, 400, ErrorCode.ChatTooLong],
      [{ text: 42 }, 400, ErrorCode.BadMessage],
      [['not', 'an', 'object'], 400, ErrorCode.BadMessage],
      [{ text: 'ok', clientId: '' }, 400, ErrorCode.BadMessage],
    ];
    for (const [body, status, code] of cases) {
      const answer = await requestJson(`${base}/show/chat`, { method: 'POST', body });
      expect([answer.status, errorCode(answer.body)]).toEqual([status, code]);
    }
    const malformed = await requestJson(`${base}/show/chat`, { method: 'POST', rawBody: '{"text": "hi"' });
    expect([malformed.status, errorCode(malformed.body)]).toEqual([400, ErrorCode.BadMessage]);
    const oversize = await requestJson(`${base}/show/chat`, {
      method: 'POST',
      rawBody: JSON.stringify({ text: 'x'.repeat(20_000) }),
    });
    expect([oversize.status, errorCode(oversize.body)]).toEqual([413, ErrorCode.MessageTooLarge]);
    const after = ((await requestJson(`${base}/show/chat`)).body as { messages: Message[] }).messages.length;
    expect(after).toBe(before);
    expect(received(viewer, 'chat-message').map((event) => event.message.text)).not.toContain('hi');
  });

  it('answers unknown streams 404 ONAIR_UNKNOWN_VIDEO and ids off their pattern 400 ONAIR_BAD_REQUEST', async () => {
    const unknown = await requestJson(`${base}/nope/chat`);
    expect([unknown.status, errorCode(unknown.body)]).toEqual([404, ErrorCode.UnknownVideo]);
    const viewers = await requestJson(`${base}/nope/viewers`);
    expect(viewers.status).toBe(404);
    const badStream = await requestJson(`${base}/-bad/chat`);
    expect([badStream.status, errorCode(badStream.body)]).toEqual([400, ErrorCode.BadRequest]);
    const badMessage = await requestJson(`${base}/show/chat/${'x'.repeat(65)}`, {
      method: 'DELETE',
      headers: moderator,
    });
    expect([badMessage.status, errorCode(badMessage.body)]).toEqual([400, ErrorCode.BadRequest]);
  });

  it('refuses a request the authorize hook rejects with 401 ONAIR_UNAUTHORIZED', async () => {
    const answer = await requestJson(`${base}/show/chat`, { headers: { 'x-role': 'nobody' } });
    expect([answer.status, errorCode(answer.body)]).toEqual([401, ErrorCode.Unauthorized]);
    const muted = await requestJson(`${base}/show/chat`, {
      method: 'POST',
      body: { text: 'hi' },
      headers: { 'x-role': 'muted' },
    });
    expect([muted.status, errorCode(muted.body)]).toEqual([403, ErrorCode.Forbidden]);
  });

  it('takes reactions (202) into the viewers batches and refuses unknown emoji and positions out of 0..1', async () => {
    const ok = await requestJson(`${base}/show/reactions`, {
      method: 'POST',
      body: { emoji: '🔥', x: 0.5, y: 1 },
    });
    expect(ok.status).toBe(202);
    const batch = await waitForMessage(viewer, 'reactions', (event) => (event.counts['🔥'] ?? 0) > 0);
    expect(batch.samples).toContainEqual({ emoji: '🔥', x: 0.5, y: 1 });
    const bad = await requestJson(`${base}/show/reactions`, { method: 'POST', body: { emoji: '🦄' } });
    expect([bad.status, errorCode(bad.body)]).toEqual([400, ErrorCode.BadReaction]);
    const off = await requestJson(`${base}/show/reactions`, { method: 'POST', body: { emoji: '🔥', x: 2 } });
    expect([off.status, errorCode(off.body)]).toEqual([400, ErrorCode.BadMessage]);
  });

  it('counts viewers', async () => {
    expect(await requestJson(`${base}/show/viewers`)).toEqual({
      status: 200,
      body: { streamId: 'show', count: 1 },
    });
  });
});
