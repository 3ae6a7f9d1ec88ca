import { ErrorCode } from '@onair/protocol';
import { describe, expect, it } from 'vitest';
import type { MockServerOptions } from '../mock';
import { advance, createTestClient, runClientsOnFakeTimers } from '../test-support/client-fixture';

function setup(serverOptions: MockServerOptions = {}, initialVideoId = 'sunset') {
  return createTestClient(
    { initialVideoId, reconnect: { initialDelayMs: 100, jitter: 0 } },
    { audio: false, ...serverOptions },
  );
}

runClientsOnFakeTimers();

describe('LiveStreamClient room', () => {
  it('joins the selected video\u2019s room and starts the next one empty on a switch', async () => {
    const { client, server } = setup({ room: { history: [{ displayName: 'Ann', text: 'hi' }], viewers: 7 } });
    client.connect();
    await advance(50);
    expect(client.getRoomSnapshot()).toMatchObject({ streamId: 'sunset', joined: true, viewers: 7 });
    expect(client.getRoomSnapshot().messages.map((entry) => entry.text)).toEqual(['hi']);
    client.sendChat('only here');
    await advance(50);
    client.select('ocean');
    expect(client.getRoomSnapshot()).toMatchObject({ streamId: 'ocean', joined: false, messages: [] });
    await advance(50);
    expect(client.getRoomSnapshot().messages.map((entry) => entry.text)).toEqual(['hi']);
    expect(server.chatHistory('sunset').map((message) => message.text)).toEqual(['hi', 'only here']);
  });

  it('keeps chat refusals away from the player: no player error, the message fails', async () => {
    const { client, server } = setup();
    client.connect();
    await advance(50);
    server.refuseNextChat(ErrorCode.ChatTooLong, 'too long');
    client.sendChat('x');
    await advance(50);
    expect(client.getRoomSnapshot().messages[0]).toMatchObject({ status: 'failed', error: 'too long' });
    client.deleteChat('m-nope');
    await advance(50);
    expect(client.getRoomSnapshot().error?.code).toBe(ErrorCode.Forbidden);
    expect(client.getSnapshot().error).toBeNull();
    expect(client.getSnapshot().status).not.toBe('error');
  });

  it('fails pending messages when the socket drops, and Retry after the reconnect stores it once', async () => {
    const { client, server } = setup({ latencyMs: 30 });
    client.connect();
    await advance(100);
    const result = client.sendChat('in flight');
    if (!result.ok) throw new Error(result.reason);
    server.disconnect();
    await advance(1);
    expect(client.getRoomSnapshot().messages[0]).toMatchObject({
      status: 'failed',
      error: 'The connection was lost.',
    });
    expect(client.getRoomSnapshot().joined).toBe(false);
    await advance(400);
    expect(client.getRoomSnapshot().joined).toBe(true);
    client.retryChat(result.clientId);
    await advance(100);
    expect(client.getRoomSnapshot().messages).toMatchObject([{ text: 'in flight', status: 'sent' }]);
    expect(server.chatHistory('sunset')).toHaveLength(1);
  });

  it('fails a message the server never acknowledges after the timeout, not before', async () => {
    const { client } = setup({ room: { acks: false } });
    client.connect();
    await advance(50);
    client.sendChat('hello?');
    await advance(9_999);
    expect(client.getRoomSnapshot().messages[0]?.status).toBe('pending');
    await advance(1);
    expect(client.getRoomSnapshot().messages[0]).toMatchObject({
      status: 'failed',
      error: 'No answer from the server.',
    });
  });

  it('works against a server without rooms: chat stays closed, playback unaffected', async () => {
    const { client } = setup({ room: false });
    client.connect();
    await advance(500);
    expect(client.getSnapshot().status).toBe('live');
    expect(client.getRoomSnapshot()).toMatchObject({ joined: false, canChat: false, viewers: null });
    expect(client.sendChat('anyone')).toEqual({ ok: false, reason: 'Not connected to the chat.' });
    expect(client.react('❤️')).toBe(false);
  });
});
