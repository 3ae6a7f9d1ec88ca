import type { AudioCodec } from '@onair/protocol';
import { describe, expect, it } from 'vitest';
import { createMockTransport } from '../../mock';
import { DEFAULT_RECONNECT_OPTIONS, DEFAULT_ROOM_OPTIONS } from '../options';
import { RoomStore } from '../room/room-store';
import { initialSnapshot } from '../state/snapshot';
import { SnapshotStore } from '../state/snapshot-store';
import type { MediaSink, StreamLink } from './media-sink';
import { ProtocolSession } from './protocol-session';

function session(
  audioCodecs: () => readonly AudioCodec[] | Promise<readonly AudioCodec[]>,
  options: { latencyMs?: number; initialVideoId?: string } = {},
) {
  const transport = createMockTransport({ latencyMs: options.latencyMs ?? 0 });
  const store = new SnapshotStore(initialSnapshot('mock', 'ws'));
  const room = new RoomStore(() => false, DEFAULT_ROOM_OPTIONS);
  const protocol = new ProtocolSession(store, room, {
    transport,
    reconnect: DEFAULT_RECONNECT_OPTIONS,
    initialVideoId: options.initialVideoId ?? null,
    videoFps: undefined,
    assetUrl: (path) => path,
    audioCodecs,
  });
  return { protocol, server: transport.server };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('ProtocolSession hello', () => {
  it('names the audio codecs the browser decodes, once the check has answered', async () => {
    let answer: (codecs: readonly AudioCodec[]) => void = () => {};
    const { protocol, server } = session(() => new Promise((resolve) => (answer = resolve)));
    protocol.start('ws://localhost/live/ws');
    await settle();
    expect(server.messagesOfType('hello')).toEqual([]);
    answer(['opus', 'pcm']);
    await settle();
    expect(server.messagesOfType('hello').map((hello) => hello.audioCodecs)).toEqual([['opus', 'pcm']]);
    protocol.stop();
    server.close();
  });

  it('says hello at once when the answer is known (PCM only, no AudioDecoder)', async () => {
    const { protocol, server } = session(() => ['pcm']);
    protocol.start('ws://localhost/live/ws');
    await settle();
    expect(server.messagesOfType('hello').map((hello) => hello.audioCodecs)).toEqual([['pcm']]);
    protocol.stop();
    server.close();
  });

  it('sends no hello for a connection closed while the check ran', async () => {
    let answer: (codecs: readonly AudioCodec[]) => void = () => {};
    const { protocol, server } = session(() => new Promise((resolve) => (answer = resolve)));
    protocol.start('ws://localhost/live/ws');
    await settle();
    protocol.stop();
    answer(['opus', 'pcm']);
    await settle();
    expect(server.messagesOfType('hello')).toEqual([]);
    server.close();
  });

  it('times the hello → welcome round trip and gives it to the sink with the stream', async () => {
    const links: StreamLink[] = [];
    const sink: MediaSink = {
      startStream: (_stream, link) => links.push(link),
      stopStream: () => {},
      receiveBytes: () => {},
      receiveVideo: () => {},
      receiveAudio: () => {},
      feedbackTick: () => null,
    };
    // Every message to the client comes 60 ms late: a round trip of at least that.
    const { protocol, server } = session(() => ['pcm'], { latencyMs: 60, initialVideoId: 'ocean' });
    protocol.setMediaSink(sink);
    protocol.start('ws://localhost/live/ws');
    const until = Date.now() + 2_000;
    while (links.length === 0 && Date.now() < until) await settle();
    expect(links).toHaveLength(1);
    expect(links[0]!.roundTripMs).toBeGreaterThanOrEqual(55);
    expect(links[0]!.roundTripMs).toBeLessThan(1_000);
    protocol.stop();
    server.close();
  });
});
