import {
  ErrorCode,
  MAX_CHAT_LENGTH,
  MAX_CONTROL_MESSAGE_BYTES,
  MAX_DISPLAY_NAME_LENGTH,
  type ServerMessageMap,
} from '@onair/protocol';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixturePath } from '../fixtures/fixture-files';
import { type RunningHost, startHost } from './helpers/host-app';
import { joinRoom, received, requestJson, sleep } from './helpers/social';
import { TestViewer } from './helpers/test-viewer';

describe('hostile chat input over the WebSocket', () => {
  let host: RunningHost;
  let bystander: TestViewer;
  const open: TestViewer[] = [];
  let storedBefore: number;

  const connect = async () => {
    const viewer = await TestViewer.connect(host.wsUrl);
    open.push(viewer);
    return viewer;
  };
  const history = async () => {
    const { body } = await requestJson(`${host.origin}/live/streams/room/chat`);
    return (body as { messages: { text: string }[] }).messages;
  };
  /** The refused socket still works: it can chat (when its budget allows) or at least ask for the catalog. */
  const expectUsable = async (viewer: TestViewer) => {
    viewer.send({ type: 'catalog' });
    expect((await viewer.next('catalog')).videos).toHaveLength(1);
  };

  beforeAll(async () => {
    host = await startHost([{ id: 'room', input: fixturePath('videoOnly') }], {
      chatRateLimit: { burst: 3, sustained: 1, windowMs: 60_000 },
      reactionRateLimit: { burst: 2, sustained: 1, windowMs: 60_000 },
    });
    bystander = await connect();
    await joinRoom(bystander, 'room');
    const seed = await connect();
    await joinRoom(seed, 'room');
    seed.send({ type: 'chat-send', clientId: 'seed', text: 'the only real message' });
    await seed.next('chat-ack');
  });

  beforeEach(async () => {
    storedBefore = (await history()).length;
  });

  afterAll(async () => {
    // Whatever the others sent, the bystander heard only the one real message and never an error.
    expect(received(bystander, 'chat-message').map((event) => event.message.text)).toEqual([
      'the only real message',
    ]);
    expect(received(bystander, 'error')).toEqual([]);
    expect(bystander.closeEvent).toBeNull();
    for (const viewer of open) viewer.close();
    await host?.close();
  });

  async function refused(
    viewer: TestViewer,
    code: ErrorCode,
    clientId?: string,
  ): Promise<ServerMessageMap['error']> {
    const error = await viewer.nextError(code);
    expect(error.fatal).toBe(false);
    // PROTOCOL.md: every refusal of a message that carried a clientId names it as `ref`, and only those.
    expect(error.ref).toBe(clientId);
    await sleep(50);
    expect(await history()).toHaveLength(storedBefore);
    expect(received(viewer, 'chat-ack')).toEqual([]);
    await expectUsable(viewer);
    return error;
  }

  it('refuses chat before select with ONAIR_NOT_JOINED', async () => {
    const viewer = await connect();
    viewer.send({ type: 'chat-send', clientId: 'early', text: 'hello?' });
    await refused(viewer, ErrorCode.NotJoined, 'early');
    viewer.send({ type: 'reaction', emoji: '👍' });
    await viewer.nextError(ErrorCode.NotJoined);
  });

  it('refuses an empty message with ONAIR_CHAT_EMPTY', async () => {
    const viewer = await connect();
    await joinRoom(viewer, 'room');
    viewer.send({ type: 'chat-send', clientId: 'empty', text: '' });
    await refused(viewer, ErrorCode.ChatEmpty, 'empty');
  });

  it('refuses a whitespace-only message with ONAIR_CHAT_EMPTY', async () => {
    const viewer = await connect();
    await joinRoom(viewer, 'room');
    viewer.send({ type: 'chat-send', clientId: 'blank', text: ' \n\t  \u202E ' });
    await refused(viewer, ErrorCode.ChatEmpty, 'blank');
  });

  it('refuses a message one character over the cap with ONAIR_CHAT_TOO_LONG', async () => {
    const viewer = await connect();
    await joinRoom(viewer, 'room');
    viewer.send({ type: 'chat-send', clientId: 'long', text: 'x'.repeat(MAX_CHAT_LENGTH + 1) });
    await refused(viewer, ErrorCode.ChatTooLong, 'long');
  });

  it('refuses a message beyond what the wire allows with ONAIR_BAD_MESSAGE, naming its clientId', async () => {
    const viewer = await connect();
    await joinRoom(viewer, 'room');
    viewer.send({ type: 'chat-send', clientId: 'huge', text: 'x'.repeat(MAX_CHAT_LENGTH * 8 + 1) });
    await refused(viewer, ErrorCode.BadMessage, 'huge');
  });

  it('refuses a name over the wire limit and a text that is not a string, naming their clientIds', async () => {
    const viewer = await connect();
    await joinRoom(viewer, 'room');
    const longName = 'n'.repeat(MAX_DISPLAY_NAME_LENGTH * 4 + 1);
    viewer.send({ type: 'chat-send', clientId: 'long-name', text: 'hi', displayName: longName });
    await refused(viewer, ErrorCode.BadMessage, 'long-name');
    viewer.sendRaw(JSON.stringify({ type: 'chat-send', clientId: 'number-text', text: 42 }));
    await refused(viewer, ErrorCode.BadMessage, 'number-text');
  });

  it('refuses a chat-send over the control message limit with ONAIR_MESSAGE_TOO_LARGE, naming its clientId', async () => {
    const viewer = await connect();
    await joinRoom(viewer, 'room');
    // Escaped characters: a text the schema would take, in more bytes than a control message may have.
    const escaped = '\\u0041'.repeat(MAX_CONTROL_MESSAGE_BYTES / 6 + 1);
    viewer.sendRaw(`{"type":"chat-send","clientId":"bulky","text":"${escaped}"}`);
    await refused(viewer, ErrorCode.MessageTooLarge, 'bulky');
  });

  it('refuses a chat-send before the hello with ONAIR_HELLO_REQUIRED, naming its clientId', async () => {
    const viewer = await TestViewer.connect(host.wsUrl, { hello: false });
    open.push(viewer);
    viewer.send({ type: 'chat-send', clientId: 'too-soon', text: 'hi' });
    const error = await viewer.nextError(ErrorCode.HelloRequired);
    expect(error).toMatchObject({ fatal: false, ref: 'too-soon' });
  });

  it('refuses malformed JSON and a chat-send without a clientId with ONAIR_BAD_MESSAGE', async () => {
    const viewer = await connect();
    await joinRoom(viewer, 'room');
    viewer.sendRaw('{"type":"chat-send","clientId":"x","text":');
    await refused(viewer, ErrorCode.BadMessage);
    viewer.sendRaw(JSON.stringify({ type: 'chat-send', text: 'no id' }));
    await refused(viewer, ErrorCode.BadMessage);
  });

  it('stores a flood only up to the burst and refuses the rest with ONAIR_RATE_LIMITED', async () => {
    const viewer = await connect();
    await joinRoom(viewer, 'room');
    for (let i = 0; i < 10; i++)
      viewer.send({ type: 'chat-send', clientId: `flood-${i}`, text: `flood ${i}` });
    await viewer.waitFor(
      () => received(viewer, 'chat-ack').length + received(viewer, 'error').length >= 10,
      'answers',
    );
    expect(received(viewer, 'chat-ack').map((ack) => ack.clientId)).toEqual([
      'flood-0',
      'flood-1',
      'flood-2',
    ]);
    const refusals = received(viewer, 'error');
    expect(refusals.every((error) => error.code === ErrorCode.RateLimited)).toBe(true);
    expect(refusals.map((error) => error.ref)).toEqual([
      'flood-3',
      'flood-4',
      'flood-5',
      'flood-6',
      'flood-7',
      'flood-8',
      'flood-9',
    ]);
    expect(await history()).toHaveLength(storedBefore + 3);
    // Fan-out of the accepted three went to the bystander; the flood cost it nothing else.
    await expectUsable(viewer);
    const texts = () => received(bystander, 'chat-message').map((event) => event.message.text);
    await bystander.waitFor(() => texts().length === 4, 'the three accepted messages');
    // Leave the bystander's expectation (one real message) intact for afterAll by forgetting these.
    bystander.messages.splice(
      0,
      bystander.messages.length,
      ...bystander.messages.filter((m) => m.type !== 'chat-message' || !m.message.text.startsWith('flood')),
    );
  });

  it('refuses a reaction flood past its budget with one ONAIR_RATE_LIMITED, not one per reaction', async () => {
    const viewer = await connect();
    await joinRoom(viewer, 'room');
    for (let i = 0; i < 50; i++) viewer.send({ type: 'reaction', emoji: '👍' });
    await viewer.nextError(ErrorCode.RateLimited);
    const counted = () =>
      received(viewer, 'reactions').reduce((sum, batch) => sum + (batch.counts['👍'] ?? 0), 0);
    await viewer.waitFor(() => counted() >= 2, 'the two reactions within budget');
    await sleep(600);
    expect(counted()).toBe(2);
    expect(received(viewer, 'error')).toHaveLength(1);
  });

  it('refuses select of an unknown stream with ONAIR_UNKNOWN_VIDEO, and chat there stays ONAIR_NOT_JOINED', async () => {
    const viewer = await connect();
    viewer.send({ type: 'select', videoId: 'nope' });
    await viewer.nextError(ErrorCode.UnknownVideo);
    viewer.send({ type: 'chat-send', clientId: 'lost', text: 'anyone?' });
    await refused(viewer, ErrorCode.NotJoined, 'lost');
  });
});
