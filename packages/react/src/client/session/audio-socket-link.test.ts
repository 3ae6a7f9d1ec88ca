import {
  type AudioSocketMessage,
  encodeMediaMessage,
  type MediaMessage,
  PROTOCOL_VERSION,
  type ServerMessage,
  type StreamMessage,
} from '@onair/protocol';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RECONNECT_OPTIONS, DEFAULT_ROOM_OPTIONS } from '../options';
import { RoomStore } from '../room/room-store';
import { initialSnapshot } from '../state/snapshot';
import { SnapshotStore } from '../state/snapshot-store';
import type { Transport, TransportHandlers } from '../transport/transport';
import type { MediaSink } from './media-sink';
import { ProtocolSession } from './protocol-session';

/** A transport whose connections the test drives: each open is kept with its URL, handlers and what was sent. */
function scriptedTransport() {
  const opened: {
    url: string;
    handlers: TransportHandlers;
    sent: (string | Uint8Array)[];
    closed: boolean;
  }[] = [];
  const transport: Transport = {
    name: 'ws',
    open(url, handlers) {
      const connection = { url, handlers, sent: [] as (string | Uint8Array)[], closed: false };
      opened.push(connection);
      queueMicrotask(() => handlers.onOpen());
      return {
        send: (data) => connection.sent.push(data),
        close: () => {
          if (connection.closed) return;
          connection.closed = true;
          handlers.onClose({ code: 1000, reason: '' });
        },
      };
    },
  };
  return { transport, opened };
}

const STREAM: StreamMessage = {
  type: 'stream',
  videoId: 'ocean',
  width: 854,
  height: 480,
  fps: 30,
  viewerFps: 30,
  audio: { codec: 'pcm', sampleRate: 48_000, channels: 2, sampleFormat: 's16le', chunkMs: 40 },
  channelTime: 1_000,
  position: null,
  duration: null,
  rung: 0,
  rungs: [{ width: 854, height: 480, quality: 40, kbps: 2_000, label: '480p' }],
};

const chunk = (timestamp: number): Uint8Array =>
  encodeMediaMessage({
    kind: 'audio',
    timestamp,
    sequence: timestamp,
    rungOrChannels: 2,
    payload: new Uint8Array(16),
  } satisfies MediaMessage);

const text = (message: ServerMessage | AudioSocketMessage) => JSON.stringify(message);
const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

async function welcomedSession(audioSocket: boolean) {
  const { transport, opened } = scriptedTransport();
  const heard: number[] = [];
  const sink: MediaSink = {
    startStream: () => {},
    stopStream: () => {},
    receiveBytes: () => {},
    receiveVideo: () => {},
    receiveAudio: (media) => heard.push(media.timestamp),
    feedbackTick: () => null,
  };
  const protocol = new ProtocolSession(
    new SnapshotStore(initialSnapshot('mock', 'ws')),
    new RoomStore(() => false, DEFAULT_ROOM_OPTIONS),
    {
      transport,
      reconnect: DEFAULT_RECONNECT_OPTIONS,
      initialVideoId: 'ocean',
      videoFps: undefined,
      assetUrl: (path) => path,
      audioCodecs: () => ['pcm'],
      audioSocket,
    },
  );
  protocol.setMediaSink(sink);
  protocol.start('wss://example.test/live/ws?token=abc');
  await settle();
  const viewer = opened[0]!;
  const welcome: ServerMessage = {
    type: 'welcome',
    protocolVersion: PROTOCOL_VERSION,
    ladder: [40, 60],
    feedbackIntervalMs: 500,
    ackWindow: 8,
    maxClientMessageBytes: 65_536,
    audioSocket: { token: 'T'.repeat(32) },
  };
  viewer.handlers.onMessage(text(welcome));
  await settle();
  return { protocol, opened, viewer, heard };
}

describe('the audio socket, on the player’s side', () => {
  it('asks for it in the hello, opens it with the welcome’s token when a stream plays, and plays its sound', async () => {
    const { protocol, opened, viewer, heard } = await welcomedSession(true);
    const hello = JSON.parse(String(viewer.sent[0])) as { type: string; audioSocket?: boolean };
    expect(hello).toMatchObject({ type: 'hello', audioSocket: true });
    expect(opened).toHaveLength(1);
    // Before it opens, the sound comes on the viewer socket.
    viewer.handlers.onMessage(text(STREAM));
    viewer.handlers.onMessage(chunk(20));
    expect(opened.map((each) => each.url)).toEqual([
      'wss://example.test/live/ws?token=abc',
      `wss://example.test/live/audio?audioToken=${'T'.repeat(32)}`,
    ]);
    const audio = opened[1]!;
    audio.handlers.onMessage(text({ type: 'audio-stream', videoId: 'ocean' }));
    audio.handlers.onMessage(chunk(140));
    // Sent on the viewer socket before the server switched: older than what the audio socket brought.
    viewer.handlers.onMessage(chunk(60));
    audio.handlers.onMessage(chunk(180));
    expect(heard).toEqual([20, 140, 180]);

    // The audio socket closed: the server sends the sound on the viewer socket again.
    audio.handlers.onClose({ code: 1006, reason: '' });
    viewer.handlers.onMessage(chunk(220));
    expect(heard).toEqual([20, 140, 180, 220]);

    protocol.stop();
  });

  it('drops chunks of another stream than the one playing (the audio socket ahead of the viewer socket)', async () => {
    const { protocol, opened, viewer, heard } = await welcomedSession(true);
    viewer.handlers.onMessage(text(STREAM));
    const audio = opened[1]!;
    audio.handlers.onMessage(text({ type: 'audio-stream', videoId: 'forest' }));
    audio.handlers.onMessage(chunk(100));
    expect(heard).toEqual([]);
    protocol.stop();
  });

  it('is closed with the viewer socket, and not asked for when turned off', async () => {
    const on = await welcomedSession(true);
    on.viewer.handlers.onMessage(text(STREAM));
    on.protocol.stop();
    expect(on.opened[1]!.closed).toBe(true);

    const off = await welcomedSession(false);
    const hello = JSON.parse(String(off.viewer.sent[0])) as { audioSocket?: boolean };
    expect(hello.audioSocket).toBeUndefined();
    // Not asked for: a welcome that offers one anyway is not taken up.
    off.viewer.handlers.onMessage(text(STREAM));
    expect(off.opened).toHaveLength(1);
    off.protocol.stop();
  });
});
