import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import {
  type AudioCodec,
  type ClientMessage,
  CloseCode,
  ErrorCode,
  encodeAck,
  encodeMessage,
  PROTOCOL_VERSION,
  type ServerMessage,
  type ServerMessageMap,
  type VideoInfo,
} from '@onair/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import type { Channel, ChannelViewer } from '../channel/channel';
import type { ChannelFormat } from '../channel/output-format';
import { memoryHub } from '../hub/memory-hub';
import { type LiveStreamOptions, resolveOptions } from '../options/live-stream-options';
import { RoomActions } from '../room/room-actions';
import { Rooms } from '../room/rooms';
import { ViewerSession } from './viewer-session';

/** The part of a `ws` socket a session uses, recording what it was sent and how it was closed. */
class FakeWebSocket extends EventEmitter {
  readyState: number = WebSocket.OPEN;
  bufferedAmount = 0;
  readonly sent: (string | Buffer)[] = [];
  closedWith: number | null = null;

  send(data: string | Buffer): void {
    this.sent.push(data);
  }

  ping(): void {}

  close(code: number): void {
    this.closedWith = code;
    this.end();
  }

  terminate(): void {
    this.end();
  }

  /** What the viewer would read: control messages decoded, media left out. */
  messages(): ServerMessage[] {
    return this.sent.filter((data) => typeof data === 'string').map((text) => JSON.parse(text));
  }

  of<T extends keyof ServerMessageMap>(type: T): ServerMessageMap[T][] {
    return this.messages().filter((message): message is ServerMessageMap[T] => message.type === type);
  }

  media(): Buffer[] {
    return this.sent.filter((data) => typeof data !== 'string');
  }

  receive(message: ClientMessage): void {
    this.emit('message', Buffer.from(encodeMessage(message)), false);
  }

  receiveBinary(bytes: Uint8Array): void {
    this.emit('message', Buffer.from(bytes), true);
  }

  private end(): void {
    this.readyState = WebSocket.CLOSED;
    this.emit('close');
  }
}

const FORMAT: ChannelFormat = { width: 640, height: 360, fps: 30, hasAudio: true, durationSec: 60 };

/** A channel as a session sees it: no decoder, its calls recorded. */
function fakeChannel(id: string, format: ChannelFormat | null = FORMAT) {
  const channel = {
    id,
    format,
    join: vi.fn<(viewer: ChannelViewer, rung: number, audioCodec?: AudioCodec) => void>(),
    leave: vi.fn<(viewer: ChannelViewer) => void>(),
    setRung: vi.fn<(viewer: ChannelViewer, rung: number) => void>(),
    now: () => 12_000,
    positionAt: (time: number) => (time / 1000) % 60,
  } satisfies Pick<Channel, 'id' | 'format' | 'join' | 'leave' | 'setRung' | 'now' | 'positionAt'>;
  return channel;
}

const CATALOG: VideoInfo[] = [];

let rooms: Rooms | undefined;
afterEach(() => rooms?.close());

function connect(overrides: LiveStreamOptions = {}) {
  const options = resolveOptions({ logger: false, ackWindow: 4, ...overrides });
  const hub = memoryHub();
  rooms = new Rooms(hub, 1_000, options.logger);
  const show = fakeChannel('show');
  const channels = new Map([['show', show as unknown as Channel]]);
  const ws = new FakeWebSocket();
  const onClosed = vi.fn<(session: ViewerSession) => void>();
  const session = new ViewerSession(ws as unknown as WebSocket, { headers: {} } as IncomingMessage, {
    options,
    channels,
    rooms,
    actions: new RoomActions(rooms, options.room.reactions),
    instanceTag: 'test',
    catalog: () => CATALOG,
    onClosed,
  });
  const greet = () => ws.receive({ type: 'hello', protocolVersion: PROTOCOL_VERSION });
  return { ws, session, show, options, onClosed, greet };
}

const errorCodes = (ws: FakeWebSocket) => ws.of('error').map((error) => error.code);
const frame = (sequence: number) => ({
  message: Buffer.from([sequence]),
  sequence,
  timestamp: sequence * 33,
});

describe('ViewerSession', () => {
  it('answers anything before the hello with ONAIR_HELLO_REQUIRED, then welcomes with what the player needs', () => {
    const { ws, greet, options } = connect();
    ws.receive({ type: 'catalog' });
    expect(errorCodes(ws)).toEqual([ErrorCode.HelloRequired]);
    greet();
    expect(ws.of('welcome')).toEqual([
      expect.objectContaining({
        protocolVersion: PROTOCOL_VERSION,
        ladder: [...options.ladder],
        ackWindow: 4,
        feedbackIntervalMs: options.feedbackIntervalMs,
      }),
    ]);
    greet();
    expect(errorCodes(ws)).toEqual([ErrorCode.HelloRequired, ErrorCode.HelloRequired]);
  });

  it('refuses another protocol version with a fatal error and close code 4001', () => {
    const { ws, onClosed } = connect();
    ws.receive({ type: 'hello', protocolVersion: PROTOCOL_VERSION + 1 });
    expect(ws.of('error')).toMatchObject([{ code: ErrorCode.ProtocolVersion, fatal: true }]);
    expect(ws.closedWith).toBe(CloseCode.ProtocolVersion);
    expect(onClosed).toHaveBeenCalledOnce();
  });

  it('answers a catalog request and refuses binary that is not an ack with ONAIR_BAD_BINARY', () => {
    const { ws, greet } = connect();
    greet();
    ws.receive({ type: 'catalog' });
    expect(ws.of('catalog')).toEqual([{ type: 'catalog', videos: CATALOG }]);
    ws.receiveBinary(new Uint8Array([1, 2, 3]));
    expect(errorCodes(ws)).toEqual([ErrorCode.BadBinary]);
  });

  it('on select: sends the stream, then the initial quality, joins the channel on its rung and joins the room', async () => {
    const { ws, greet, show, options, session } = connect();
    greet();
    ws.receive({ type: 'select', videoId: 'show', videoFps: 15 });
    expect(ws.of('stream')).toEqual([
      expect.objectContaining({ videoId: 'show', fps: 30, viewerFps: 15, rung: options.initialRung }),
    ]);
    expect(ws.of('quality-changed')).toMatchObject([{ rung: options.initialRung, reason: 'initial' }]);
    expect(show.join).toHaveBeenCalledWith(session, options.initialRung, 'pcm');
    await vi.waitFor(() => expect(ws.of('room')).toMatchObject([{ streamId: 'show' }]));
    expect(session.stats()).toMatchObject({ videoId: 'show', rung: options.initialRung, mode: 'auto' });
  });

  it('gives a hello without audioCodecs (a client from before Opus) PCM, as before', () => {
    const { ws, greet, show, session } = connect();
    greet();
    ws.receive({ type: 'select', videoId: 'show' });
    expect(ws.of('stream')[0]?.audio).toEqual({
      codec: 'pcm',
      sampleRate: 48_000,
      channels: 2,
      sampleFormat: 's16le',
      chunkMs: 100,
    });
    expect(show.join).toHaveBeenCalledWith(session, expect.any(Number), 'pcm');
  });

  it.each([
    [['opus', 'pcm'], 'opus'],
    [['opus'], 'opus'],
    [['pcm', 'opus'], 'pcm'],
    [['pcm'], 'pcm'],
  ] as const)('negotiates audio: a hello offering %j gets %s', (audioCodecs, codec) => {
    const { ws, show, session } = connect();
    ws.receive({ type: 'hello', protocolVersion: PROTOCOL_VERSION, audioCodecs: [...audioCodecs] });
    ws.receive({ type: 'select', videoId: 'show' });
    expect(ws.of('stream')[0]?.audio).toMatchObject({ codec, sampleRate: 48_000, channels: 2, chunkMs: 100 });
    expect(show.join).toHaveBeenCalledWith(session, expect.any(Number), codec);
    expect(session.stats().audioCodec).toBe(codec);
  });

  it('with media: false joins the room alone, never the channel', async () => {
    const { ws, greet, show, session } = connect();
    greet();
    ws.receive({ type: 'select', videoId: 'show', media: false });
    await vi.waitFor(() => expect(ws.of('room')).toHaveLength(1));
    expect(show.join).not.toHaveBeenCalled();
    expect(ws.of('stream')).toEqual([]);
    expect(session.stats().videoId).toBe('show');
  });

  it('refuses a select of an unknown video with ONAIR_UNKNOWN_VIDEO', () => {
    const { ws, greet } = connect();
    greet();
    ws.receive({ type: 'select', videoId: 'nope' });
    expect(errorCodes(ws)).toEqual([ErrorCode.UnknownVideo]);
  });

  it('locks the rung a quality request names, moving the channel, and refuses one off the ladder', () => {
    const { ws, greet, show, session } = connect({ ladder: [40, 60, 80] });
    greet();
    ws.receive({ type: 'select', videoId: 'show' });
    ws.receive({ type: 'quality', rung: 2 });
    expect(show.setRung).toHaveBeenCalledWith(session, 2);
    expect(ws.of('quality-changed').at(-1)).toMatchObject({ rung: 2, mode: 'locked', reason: 'request' });
    ws.receive({ type: 'quality', rung: 3 });
    expect(errorCodes(ws)).toEqual([ErrorCode.BadRung]);
    ws.receive({ type: 'quality', rung: 'auto' });
    expect(ws.of('quality-changed').at(-1)).toMatchObject({ rung: 2, mode: 'auto' });
  });

  it('gives feedback to the rung controller only once a stream is on: a buffer running dry moves it down', () => {
    const { ws, greet, show, options } = connect();
    const dry = {
      type: 'feedback',
      bufferLevel: 0,
      bufferMs: 0,
      networkQuality: 'poor',
      timestamp: 1,
      droppedFrames: 0,
      lateFrames: 0,
      decodeMs: 1,
    } as const;
    greet();
    ws.receive(dry);
    expect(ws.of('quality-changed')).toEqual([]);
    ws.receive({ type: 'select', videoId: 'show' });
    ws.receive(dry);
    expect(ws.of('quality-changed').at(-1)).toMatchObject({
      rung: options.initialRung - 1,
      reason: 'buffer-low',
    });
    expect(show.setRung).toHaveBeenCalled();
  });

  it('sends video within the ack window only, and an ack frees it', () => {
    const { ws, greet, session } = connect();
    greet();
    ws.receive({ type: 'select', videoId: 'show' });
    for (let sequence = 1; sequence <= 6; sequence++) session.receiveVideo(frame(sequence), false);
    expect(ws.media()).toHaveLength(4);
    expect(session.stats()).toMatchObject({ inFlight: 4, framesSent: 4, framesSkipped: 2 });
    ws.receiveBinary(encodeAck(4));
    expect(session.stats().inFlight).toBe(0);
    session.receiveVideo(frame(7), false);
    expect(ws.media()).toHaveLength(5);
  });

  it('on close lets go of its channel and tells its owner once', async () => {
    const { ws, greet, show, session, onClosed } = connect();
    greet();
    ws.receive({ type: 'select', videoId: 'show' });
    ws.terminate();
    await session.closed;
    expect(show.leave).toHaveBeenCalledWith(session);
    expect(onClosed).toHaveBeenCalledOnce();
    expect(session.isClosed).toBe(true);
  });
});
