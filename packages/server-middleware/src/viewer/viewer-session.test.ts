import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import {
  type AudioCodec,
  type ClientMessage,
  CloseCode,
  DEFAULT_AUDIO_CHUNK_MS,
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
import { planRungs, type RungSpec } from '../ladder/rung-plan';
import { middleRung } from '../options/defaults';
import { type LiveStreamOptions, resolveOptions } from '../options/live-stream-options';
import { RoomActions } from '../room/room-actions';
import { Rooms } from '../room/rooms';
import { AudioSocketTokens } from './audio-socket-tokens';
import { ViewerSession } from './viewer-session';

/** The part of a `ws` socket a session uses, recording what it was sent and how it was closed. */
class FakeWebSocket extends EventEmitter {
  readyState: number = WebSocket.OPEN;
  bufferedAmount = 0;
  readonly sent: (string | Buffer)[] = [];
  /** The payload of each ping: empty for the heartbeat's, `rtt` for a timed one. */
  readonly pings: string[] = [];
  closedWith: number | null = null;

  send(data: string | Buffer): void {
    this.sent.push(data);
  }

  ping(data?: Buffer): void {
    this.pings.push(data?.toString() ?? '');
  }

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
function fakeChannel(id: string, ladder: readonly RungSpec[], format: ChannelFormat | null = FORMAT) {
  const channel = {
    id,
    format,
    join: vi.fn<(viewer: ChannelViewer, rung: number, audioCodec?: AudioCodec) => void>(),
    leave: vi.fn<(viewer: ChannelViewer) => void>(),
    setRung: vi.fn<(viewer: ChannelViewer, rung: number) => void>(),
    now: () => 12_000,
    positionAt: (time: number) => (time / 1000) % 60,
    rungs: format ? planRungs(ladder, format) : null,
    rungKbps: () => [],
  } satisfies Pick<
    Channel,
    'id' | 'format' | 'join' | 'leave' | 'setRung' | 'now' | 'positionAt' | 'rungs' | 'rungKbps'
  >;
  return channel;
}

const CATALOG: VideoInfo[] = [];

let rooms: Rooms | undefined;
afterEach(() => rooms?.close());

function connect(overrides: LiveStreamOptions = {}) {
  const options = resolveOptions({ logger: false, ackWindow: 4, ...overrides });
  const hub = memoryHub();
  rooms = new Rooms(hub, 1_000, options.logger);
  const show = fakeChannel('show', options.ladder);
  /** Where a new viewer starts: the middle of the channel's own ladder. */
  const initialRung = middleRung(show.rungs!.length);
  const channels = new Map([['show', show as unknown as Channel]]);
  const ws = new FakeWebSocket();
  const onClosed = vi.fn<(session: ViewerSession) => void>();
  const session = new ViewerSession(ws as unknown as WebSocket, { headers: {} } as IncomingMessage, {
    options,
    channels,
    rooms,
    actions: new RoomActions(rooms, options.room.reactions),
    instanceTag: 'test',
    catalog: async () => CATALOG,
    offAirStatus: (videoId) => (videoId === 'later' ? { videoId, status: 'scheduled' as const } : null),
    audioSockets: new AudioSocketTokens(),
    onClosed,
  });
  const greet = () => ws.receive({ type: 'hello', protocolVersion: PROTOCOL_VERSION });
  return { ws, session, show, options, onClosed, greet, initialRung };
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
        ladder: options.ladder.map((rung) => rung.quality),
        ackWindow: 4,
        feedbackIntervalMs: options.feedbackIntervalMs,
      }),
    ]);
    greet();
    expect(errorCodes(ws)).toEqual([ErrorCode.HelloRequired, ErrorCode.HelloRequired]);
  });

  it('times the round trip at the hello, while the socket is idle, and again only as acks come', () => {
    const { ws, greet, session } = connect();
    greet();
    // Before any media could queue ahead of it: a ping timed behind a narrow link's opening burst read the round
    // trip long, and with it the link's burst rate far too high (issue 9, profile D).
    expect(ws.pings).toEqual(['rtt']);
    expect(ws.media()).toEqual([]);
    ws.receive({ type: 'select', videoId: 'show' });
    session.receiveVideo(frame(1), true);
    ws.receiveBinary(encodeAck(1));
    // One in flight at a time: no second ping until the first is answered.
    expect(ws.pings).toEqual(['rtt']);
  });

  it('refuses another protocol version with a fatal error and close code 4001', () => {
    const { ws, onClosed } = connect();
    ws.receive({ type: 'hello', protocolVersion: PROTOCOL_VERSION + 1 });
    expect(ws.of('error')).toMatchObject([{ code: ErrorCode.ProtocolVersion, fatal: true }]);
    expect(ws.closedWith).toBe(CloseCode.ProtocolVersion);
    expect(onClosed).toHaveBeenCalledOnce();
  });

  it('answers a catalog request and refuses binary that is not an ack with ONAIR_BAD_BINARY', async () => {
    const { ws, greet } = connect();
    greet();
    ws.receive({ type: 'catalog' });
    // The catalog is filtered by `authorize`, which may take its time: the answer comes after it settles.
    await vi.waitFor(() => expect(ws.of('catalog')).toEqual([{ type: 'catalog', videos: CATALOG }]));
    ws.receiveBinary(new Uint8Array([1, 2, 3]));
    expect(errorCodes(ws)).toEqual([ErrorCode.BadBinary]);
  });

  it('on select: sends the stream, then the initial quality, joins the channel on its rung and joins the room', async () => {
    const { ws, greet, show, session, initialRung } = connect();
    greet();
    ws.receive({ type: 'select', videoId: 'show', videoFps: 15 });
    expect(ws.of('stream')).toEqual([
      expect.objectContaining({ videoId: 'show', fps: 30, viewerFps: 15, rung: initialRung }),
    ]);
    // The 640x360 channel's own ladder: nothing above 360p, the 480p and 720p rungs merged into it.
    expect(ws.of('stream')[0]!.rungs.map((rung) => rung.label)).toEqual([
      '144p',
      '240p',
      '360p',
      '360p · high',
      '360p · best',
    ]);
    expect(ws.of('quality-changed')).toMatchObject([
      { rung: initialRung, reason: 'initial', label: '360p', height: 360, viewerFps: 15 },
    ]);
    expect(show.join).toHaveBeenCalledWith(session, initialRung, 'pcm');
    await vi.waitFor(() => expect(ws.of('room')).toMatchObject([{ streamId: 'show' }]));
    expect(session.stats()).toMatchObject({
      videoId: 'show',
      rung: initialRung,
      mode: 'auto',
      rungLabel: '360p',
      viewerFps: 15,
    });
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
      chunkMs: DEFAULT_AUDIO_CHUNK_MS,
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
    expect(ws.of('stream')[0]?.audio).toMatchObject({
      codec,
      sampleRate: 48_000,
      channels: 2,
      chunkMs: DEFAULT_AUDIO_CHUNK_MS,
    });
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

  it('answers a select of a stream that is not on air with stream-status, not an error, and joins nothing', () => {
    const { ws, greet, show } = connect();
    greet();
    ws.receive({ type: 'select', videoId: 'later' });
    expect(ws.of('stream-status')).toEqual([
      { type: 'stream-status', videoId: 'later', status: 'scheduled' },
    ]);
    expect(errorCodes(ws)).toEqual([]);
    expect(show.join).not.toHaveBeenCalled();
  });

  it('tells a viewer its stream went off air: it leaves the channel and the room, and may select again', async () => {
    const { ws, greet, show, session } = connect();
    greet();
    ws.receive({ type: 'select', videoId: 'show' });
    await vi.waitFor(() => expect(ws.of('room')).toHaveLength(1));
    session.offAir('other', 'ended');
    expect(ws.of('stream-status')).toEqual([]);
    session.offAir('show', 'ended');
    expect(ws.of('stream-status')).toEqual([{ type: 'stream-status', videoId: 'show', status: 'ended' }]);
    expect(show.leave).toHaveBeenCalledWith(session);
    expect(session.stats().videoId).toBeNull();
    expect(errorCodes(ws)).toEqual([]);
    ws.receive({ type: 'select', videoId: 'show' });
    expect(ws.of('stream')).toHaveLength(2);
  });

  it('pushes the catalog again on a change, only to a viewer that asked for it once', async () => {
    const asked = connect();
    const quiet = connect();
    asked.greet();
    quiet.greet();
    asked.ws.receive({ type: 'catalog' });
    await vi.waitFor(() => expect(asked.ws.of('catalog')).toHaveLength(1));
    asked.session.catalogChanged();
    quiet.session.catalogChanged();
    await vi.waitFor(() => expect(asked.ws.of('catalog')).toHaveLength(2));
    expect(quiet.ws.of('catalog')).toEqual([]);
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
    const { ws, greet, show, initialRung } = connect();
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
    // The buffer filled once (buffer rules wait for it: it starts empty), then ran dry.
    ws.receive({ ...dry, bufferLevel: 1, bufferMs: 200 });
    ws.receive(dry);
    expect(ws.of('quality-changed').at(-1)).toMatchObject({
      rung: initialRung - 1,
      reason: 'buffer-low',
    });
    expect(show.setRung).toHaveBeenCalled();
  });

  it('sends each video sequence at most once, and never one older than a sequence already sent', () => {
    const { ws, greet, session } = connect();
    greet();
    ws.receive({ type: 'select', videoId: 'show' });
    session.receiveVideo(frame(5), true);
    // The same frame again at the new rung after a switch, then an older one: neither goes out.
    session.receiveVideo(frame(5), true);
    session.receiveVideo(frame(4), false);
    session.receiveVideo(frame(6), false);
    expect(ws.media().map((message) => message[0])).toEqual([5, 6]);
    expect(session.stats().framesSkipped).toBe(0);
  });

  it('caps frame rate and rung height at the viewer-limits, announced with reason cpu', () => {
    const { ws, greet, show, session, initialRung } = connect();
    greet();
    ws.receive({ type: 'select', videoId: 'show' });
    ws.receive({ type: 'viewer-limits', maxFps: 10 });
    expect(ws.of('quality-changed').at(-1)).toMatchObject({
      rung: initialRung,
      reason: 'cpu',
      viewerFps: 10,
    });
    const taken = [1, 2, 3, 4, 5, 6].filter((sequence) => {
      const before = ws.media().length;
      session.receiveVideo(frame(sequence), false);
      ws.receiveBinary(encodeAck(sequence));
      return ws.media().length > before;
    });
    expect(taken).toHaveLength(2);
    ws.receive({ type: 'viewer-limits', maxFps: null, maxHeight: 240 });
    expect(ws.of('quality-changed').at(-1)).toMatchObject({ rung: 1, label: '240p', reason: 'cpu' });
    expect(show.setRung).toHaveBeenLastCalledWith(session, 1);
    expect(session.stats().viewerFps).toBe(30);
  });

  it('sends the audio it is handed to a hello without audioCodecs, as PCM', () => {
    const old = connect();
    old.greet();
    old.ws.receive({ type: 'select', videoId: 'show' });
    expect(old.ws.of('stream')[0]!.audio).toMatchObject({ codec: 'pcm', sampleFormat: 's16le' });
    old.session.receiveAudio(Buffer.from([1]), 'pcm');
    expect(old.ws.media()).toHaveLength(1);
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

  it('is kept alive only by a pong or an ack of a frame in flight, never by other messages', () => {
    const { ws, greet, session } = connect();
    greet();
    ws.receive({ type: 'select', videoId: 'show' });
    session.ping();
    ws.receive({ type: 'catalog' });
    ws.receive({ type: 'viewer-limits', maxFps: 20 });
    // An ack of a frame never sent proves nothing either.
    ws.receiveBinary(encodeAck(99));
    expect(session.alive).toBe(false);
    session.receiveVideo(frame(1), true);
    ws.receiveBinary(encodeAck(1));
    expect(session.alive).toBe(true);
    session.ping();
    ws.emit('pong', Buffer.alloc(0));
    expect(session.alive).toBe(true);
  });

  it('closes a socket without a hello at the hello deadline with 4002, after a fatal ONAIR_HELLO_REQUIRED', () => {
    vi.useFakeTimers();
    try {
      const { ws, onClosed, session } = connect({ helloTimeoutMs: 1_000 });
      ws.receive({ type: 'catalog' });
      vi.advanceTimersByTime(999);
      expect(ws.closedWith).toBeNull();
      expect(session.isGreeted).toBe(false);
      vi.advanceTimersByTime(1);
      expect(ws.of('error').at(-1)).toMatchObject({ code: ErrorCode.HelloRequired, fatal: true });
      expect(ws.closedWith).toBe(CloseCode.HelloTimeout);
      expect(onClosed).toHaveBeenCalledOnce();

      const greeted = connect({ helloTimeoutMs: 1_000 });
      greeted.greet();
      vi.advanceTimersByTime(5_000);
      expect(greeted.ws.closedWith).toBeNull();
      expect(greeted.session.isGreeted).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});
