import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  advance,
  createTestClient,
  HLS_CLIENT_OPTIONS,
  hlsCatalog,
  runClientsOnFakeTimers,
} from '../test-support/client-fixture';
import { FakeHls, stubMediaPlayback } from '../test-support/fake-hls';
import type { LiveStreamClientOptions } from './options';

function setup(options: Partial<LiveStreamClientOptions>) {
  const { client, server } = createTestClient(
    {
      ...HLS_CLIENT_OPTIONS,
      initialVideoId: 'sunset',
      reconnect: { initialDelayMs: 100, jitter: 0 },
      ...options,
    },
    { videos: hlsCatalog(), room: { viewers: 4 } },
  );
  client.attachVideo(document.createElement('video'));
  return { client, server };
}

runClientsOnFakeTimers();

beforeEach(() => {
  FakeHls.reset();
  stubMediaPlayback();
});
afterEach(() => vi.restoreAllMocks());

describe('the room beside HLS playback', () => {
  it('opens the socket in hls mode and joins the room with a media:false select', async () => {
    const { client, server } = setup({ transportMode: 'hls' });
    client.connect();
    await advance(100);
    expect(FakeHls.latest().source).toBe('/live/hls/sunset/master.m3u8');
    expect(server.messagesOfType('select')).toEqual([{ type: 'select', videoId: 'sunset', media: false }]);
    expect(client.getRoomSnapshot()).toMatchObject({ streamId: 'sunset', joined: true, viewers: 4 });
    expect(client.getSnapshot()).toMatchObject({ transport: 'hls', stream: null });
  });

  it('sends and receives chat, and follows the viewer count, while HLS plays', async () => {
    const { client, server } = setup({ transportMode: 'hls' });
    client.connect();
    await advance(100);
    expect(client.sendChat('hello from HLS').ok).toBe(true);
    await advance(50);
    expect(server.chatHistory('sunset').map((message) => message.text)).toEqual(['hello from HLS']);
    expect(client.getRoomSnapshot().messages[0]).toMatchObject({ text: 'hello from HLS', status: 'sent' });
    server.say('hi HLS viewer');
    server.setViewers(9);
    await advance(50);
    expect(client.getRoomSnapshot().messages.map((entry) => entry.text)).toEqual([
      'hello from HLS',
      'hi HLS viewer',
    ]);
    expect(client.getRoomSnapshot().viewers).toBe(9);
  });

  it('sends no acks, no feedback and no quality over a media:false select, and gets no frames', async () => {
    const { client, server } = setup({ transportMode: 'hls' });
    client.connect();
    await advance(100);
    client.play();
    client.setQuality(1);
    client.updateOptions({ videoFps: 10 });
    await advance(3_000);
    expect(server.videoFramesSent).toBe(0);
    expect(server.acks).toEqual([]);
    expect(server.messagesOfType('feedback')).toEqual([]);
    expect(server.messagesOfType('quality')).toEqual([]);
    expect(server.messagesOfType('select')).toHaveLength(1);
    expect(client.getSnapshot().hlsLevel).toBe(1);
  });

  it('moves the room with the selected video', async () => {
    const { client, server } = setup({ transportMode: 'hls' });
    client.connect();
    await advance(100);
    client.select('ocean');
    await advance(100);
    expect(server.messagesOfType('select').at(-1)).toEqual({
      type: 'select',
      videoId: 'ocean',
      media: false,
    });
    expect(client.getRoomSnapshot()).toMatchObject({ streamId: 'ocean', joined: true });
    expect(FakeHls.latest().source).toBe('/live/hls/ocean/master.m3u8');
  });

  it('in auto, keeps retrying the socket after falling back to HLS, for the room only', async () => {
    const { client, server } = setup({ transportMode: 'auto' });
    server.refuseConnections(true);
    client.connect();
    await advance(1_000);
    expect(client.getSnapshot().transport).toBe('hls');
    expect(FakeHls.latest().source).toBe('/live/hls/sunset/master.m3u8');
    expect(client.getRoomSnapshot().joined).toBe(false);
    const attemptsAtFallback = server.connectionCount;

    server.refuseConnections(false);
    await advance(30_000);
    expect(server.connectionCount).toBeGreaterThan(attemptsAtFallback);
    expect(server.connected).toBe(true);
    expect(server.messagesOfType('select')).toEqual([{ type: 'select', videoId: 'sunset', media: false }]);
    expect(client.getRoomSnapshot()).toMatchObject({ streamId: 'sunset', joined: true });
    expect(client.getSnapshot().transport).toBe('hls');
    expect(server.videoFramesSent).toBe(0);
    expect(FakeHls.instances).toHaveLength(1);
  });

  it('back in ws mode, selects with media again and plays the frames', async () => {
    const { client, server } = setup({ transportMode: 'hls' });
    client.connect();
    await advance(100);
    client.setTransportMode('ws');
    await advance(200);
    expect(server.messagesOfType('select').at(-1)).toEqual({ type: 'select', videoId: 'sunset' });
    expect(client.getSnapshot().transport).toBe('mock');
    expect(server.videoFramesSent).toBeGreaterThan(0);
    expect(server.acks.length).toBeGreaterThan(0);
  });
});
