import { AckPacer, ErrorCode, PROTOCOL_VERSION } from '@onair/protocol';
import { describe, expect, it, vi } from 'vitest';
import { advance, runClientsOnFakeTimers, createTestClient as setup } from '../test-support/client-fixture';
import { LiveStreamClient } from './live-stream-client';

runClientsOnFakeTimers();

describe('LiveStreamClient', () => {
  it('has no side effects until connect: no socket, idle snapshot', async () => {
    const { client, server } = setup();
    await advance(1_000);
    expect(server.connectionCount).toBe(0);
    expect(client.getSnapshot().status).toBe('idle');
    expect(client.getSnapshot()).toBe(client.getServerSnapshot());
  });

  it('says hello first, asks for the catalog, then selects the first video', async () => {
    const { client, server } = setup();
    client.connect();
    expect(client.getSnapshot().status).toBe('connecting');
    await advance(50);
    expect(server.urls).toEqual(['ws://localhost:3000/live/ws']);
    expect(server.received.slice(0, 3)).toEqual([
      {
        type: 'hello',
        protocolVersion: PROTOCOL_VERSION,
        client: '@onair/react',
        audioCodecs: ['pcm'],
        audioSocket: true,
      },
      { type: 'catalog' },
      { type: 'select', videoId: 'ocean' },
    ]);
    const snapshot = client.getSnapshot();
    expect(snapshot.catalog?.map((video) => video.id)).toEqual(['ocean', 'sunset', 'forest-cam']);
    expect(snapshot.ladder).toEqual([40, 55, 70, 80, 90]);
    expect(snapshot.stream?.videoId).toBe('ocean');
  });

  it('goes live once the first frame is due and reports the rung the server chose', async () => {
    const { client } = setup({ initialVideoId: 'sunset', videoBufferMs: 150 });
    client.connect();
    await advance(100);
    expect(client.getSnapshot().status).toBe('connecting');
    await advance(300);
    const snapshot = client.getSnapshot();
    expect(snapshot.status).toBe('live');
    expect(snapshot.videoId).toBe('sunset');
    expect(snapshot.rung).toBe(2);
    expect(snapshot.quality).toBe(70);
  });

  it('acks the newest frame every ackWindow / 4 frames, also while paused, so the server never skips', async () => {
    const { client, server } = setup({ initialVideoId: 'sunset' });
    client.connect();
    await advance(1_000);
    client.pause();
    await advance(1_000);
    expect(server.videoFramesSent).toBeGreaterThanOrEqual(45);
    // The mock's window is 8 frames: every second frame is acked, and acks are cumulative.
    const every = AckPacer.intervalFor(8);
    expect(every).toBe(2);
    expect(server.acks).toEqual(
      Array.from({ length: Math.floor(server.videoFramesSent / every) }, (_, i) => (i + 1) * every - 1),
    );
    expect(server.videoFramesSkipped).toBe(0);
  });

  it('sends feedback on the server cadence with the buffer it holds', async () => {
    const { client, server } = setup(
      { initialVideoId: 'sunset', videoBufferMs: 150 },
      { feedbackIntervalMs: 250 },
    );
    client.connect();
    await advance(2_010);
    const reports = server.messagesOfType('feedback');
    expect(reports.length).toBe(8);
    const last = reports[reports.length - 1]!;
    // 25 fps arriving with no jitter into a 150 ms buffer: between 110 and 150 ms ahead of the playhead.
    expect(last.bufferMs).toBeGreaterThanOrEqual(100);
    expect(last.bufferMs).toBeLessThanOrEqual(150);
    expect(last.bufferLevel).toBeCloseTo(last.bufferMs / 150, 2);
    expect(last).toMatchObject({ droppedFrames: 0, lateFrames: 0, networkQuality: 'good' });
    // Display ticks every 16 ms: the page never stalled.
    expect(last.pageStallMs).toBeGreaterThan(0);
    expect(last.pageStallMs).toBeLessThan(50);
  });

  it('counts a frame of a reduced rate as lasting until the next, so a viewer sent 5 of 25 fps reads a full buffer', async () => {
    const { client, server } = setup(
      { initialVideoId: 'sunset', videoBufferMs: 150, videoFps: 5 },
      { feedbackIntervalMs: 250 },
    );
    client.connect();
    await advance(3_010);
    const reports = server.messagesOfType('feedback').slice(2);
    expect(reports.length).toBeGreaterThanOrEqual(8);
    // A frame every 200 ms into a 150 ms buffer: the newest is on screen, or due, for most of each interval. Read
    // as a 25 fps buffer it was empty then, and the server's rung controller stepped such a viewer further down
    // (at 5 fps, its lowest) for a low buffer it could never fill (issue 13's glass-to-glass bench).
    for (const report of reports) expect(report.bufferLevel).toBeGreaterThanOrEqual(0.5);
  });

  it('stops sending feedback while paused', async () => {
    const { client, server } = setup({ initialVideoId: 'sunset' });
    client.connect();
    await advance(1_100);
    client.pause();
    const before = server.messagesOfType('feedback').length;
    await advance(2_000);
    expect(server.messagesOfType('feedback').length).toBe(before);
  });

  it('shows buffering when frames stop and live again when they return', async () => {
    const { client, server } = setup({ initialVideoId: 'sunset' });
    client.connect();
    await advance(500);
    expect(client.getSnapshot().status).toBe('live');
    server.setState('buffering');
    await advance(1_000);
    expect(client.getSnapshot().status).toBe('buffering');
    server.setState('live');
    await advance(400);
    expect(client.getSnapshot().status).toBe('live');
  });

  it('reconnects with backoff and selects the same video again', async () => {
    const { client, server } = setup(
      { initialVideoId: 'forest-cam', reconnect: { initialDelayMs: 200, jitter: 0 } },
      { openDelayMs: 5 },
    );
    client.connect();
    await advance(500);
    server.disconnect();
    await advance(10);
    expect(client.getSnapshot()).toMatchObject({
      status: 'reconnecting',
      reconnectAttempt: 1,
      connected: false,
    });
    await advance(200);
    expect(server.connectionCount).toBe(2);
    await advance(500);
    expect(client.getSnapshot()).toMatchObject({
      status: 'live',
      reconnectAttempt: 0,
      videoId: 'forest-cam',
    });
    expect(server.messagesOfType('select').map((m) => m.videoId)).toEqual(['forest-cam', 'forest-cam']);
    expect(server.messagesOfType('hello')).toHaveLength(2);
  });

  it('backs off further while the server keeps refusing', async () => {
    const { client, server } = setup({ reconnect: { initialDelayMs: 100, jitter: 0 } }, { openDelayMs: 0 });
    server.refuseConnections(true);
    client.connect();
    // Attempts at 0, then +100, +200, +400, +800 ms.
    await advance(1_550);
    expect(server.connectionCount).toBe(5);
    expect(client.getSnapshot().status).toBe('reconnecting');
    server.refuseConnections(false);
    await advance(1_700);
    expect(server.connectionCount).toBe(6);
    expect(client.getSnapshot().connected).toBe(true);
  });

  it('gives up with ONAIR_CONNECTION_FAILED after maxAttempts', async () => {
    const { client, server } = setup({ reconnect: { initialDelayMs: 10, jitter: 0, maxAttempts: 2 } });
    server.refuseConnections(true);
    client.connect();
    await advance(1_000);
    expect(server.connectionCount).toBe(3);
    expect(client.getSnapshot().status).toBe('error');
    expect(client.getSnapshot().error?.code).toBe('ONAIR_CONNECTION_FAILED');
  });

  it('stops reconnecting after a fatal protocol-version refusal', async () => {
    const { client, server } = setup({}, { protocolVersion: PROTOCOL_VERSION + 1 });
    client.connect();
    await advance(60_000);
    expect(server.connectionCount).toBe(1);
    expect(client.getSnapshot().status).toBe('error');
    expect(client.getSnapshot().error).toMatchObject({ code: ErrorCode.ProtocolVersion, fatal: true });
  });

  it('comes back after the server says it is closing', async () => {
    const { client, server } = setup({
      initialVideoId: 'sunset',
      reconnect: { initialDelayMs: 100, jitter: 0 },
    });
    client.connect();
    await advance(300);
    server.sendError(ErrorCode.ServerClosing, 'restarting', true);
    await advance(50);
    expect(client.getSnapshot().status).toBe('reconnecting');
    await advance(500);
    expect(client.getSnapshot().status).toBe('live');
  });

  it('shows an unknown video as an error and recovers on the next selection', async () => {
    const { client } = setup({ initialVideoId: null });
    client.connect();
    await advance(50);
    expect(client.getSnapshot().status).toBe('idle');
    client.select('missing');
    await advance(50);
    expect(client.getSnapshot()).toMatchObject({ status: 'error', error: { code: ErrorCode.UnknownVideo } });
    client.select('sunset');
    await advance(500);
    expect(client.getSnapshot()).toMatchObject({ status: 'live', error: null, videoId: 'sunset' });
  });

  it('shows a stream that ended as off air, not an error, and selects it again when the catalog says it is live', async () => {
    const { client, server } = setup({ initialVideoId: 'sunset' });
    client.connect();
    await advance(500);
    expect(client.getSnapshot().status).toBe('live');
    server.push({ type: 'stream-status', videoId: 'sunset', status: 'ended' });
    await advance(100);
    expect(client.getSnapshot()).toMatchObject({
      status: 'idle',
      offAir: 'ended',
      error: null,
      stream: null,
    });
    server.push({ type: 'stream-status', videoId: 'ocean', status: 'removed' });
    await advance(100);
    expect(client.getSnapshot().offAir).toBe('ended');

    const selects = server.messagesOfType('select').length;
    const catalog = client.getSnapshot().catalog!.map((video) => ({ ...video, status: 'live' as const }));
    server.push({ type: 'catalog', videos: catalog });
    await advance(500);
    expect(server.messagesOfType('select').length).toBe(selects + 1);
    expect(client.getSnapshot()).toMatchObject({ status: 'live', offAir: null, videoId: 'sunset' });
  });

  it('locks a rung on request and shows it before and after the server confirms', async () => {
    const { client, server } = setup({ initialVideoId: 'sunset' });
    client.connect();
    await advance(100);
    client.setQuality(0);
    expect(client.getSnapshot()).toMatchObject({ rung: 0, quality: 40, qualityMode: 'locked' });
    await advance(50);
    expect(server.messagesOfType('quality')).toEqual([{ type: 'quality', rung: 0 }]);
    expect(client.getSnapshot()).toMatchObject({ rung: 0, quality: 40, qualityMode: 'locked' });
    server.setRung(4, 'buffer-high');
    await advance(50);
    expect(client.getSnapshot()).toMatchObject({ rung: 4, quality: 90 });
  });

  it('keeps the same snapshot object while nothing changes', async () => {
    const { client } = setup({ initialVideoId: null });
    client.connect();
    await advance(100);
    const settled = client.getSnapshot();
    const listener = vi.fn();
    client.subscribe(listener);
    await advance(3_000);
    expect(client.getSnapshot()).toBe(settled);
    expect(listener).not.toHaveBeenCalled();
  });

  it('fills the stats while playing', async () => {
    const { client } = setup({ initialVideoId: 'sunset' });
    client.connect();
    await advance(2_000);
    const { stats } = client.getSnapshot();
    expect(stats.fps).toBeGreaterThanOrEqual(20);
    expect(stats.fps).toBeLessThanOrEqual(30);
    expect(stats.bitrateKbps).toBeGreaterThan(0);
    expect(stats.rung).toBe(2);
    expect(stats.latencyMs).toBeGreaterThanOrEqual(100);
    expect(stats.latencyMs).toBeLessThan(250);
  });

  it('unmutes to an audible volume when the slider sat at 0: the last one heard, 0.5 before any', () => {
    const { client } = setup();
    client.setVolume(0);
    client.setMuted(true);
    client.setMuted(false);
    expect(client.getSnapshot()).toMatchObject({ muted: false, volume: 0.5 });
    client.setVolume(0.8);
    client.setVolume(0);
    client.toggleMuted();
    client.toggleMuted();
    expect(client.getSnapshot()).toMatchObject({ muted: false, volume: 0.8 });
  });

  it('validates its options with a TypeError naming the option', () => {
    expect(() => new LiveStreamClient({ url: '/live', videoBufferMs: -1 })).toThrow(/videoBufferMs/);
    expect(() => new LiveStreamClient({ url: '/live', videoFps: 0 })).toThrow(/videoFps/);
    expect(() => new LiveStreamClient({ url: '/live', initialVideoId: '../x' })).toThrow(/initialVideoId/);
    expect(() => new LiveStreamClient({ url: 42 as unknown as string })).toThrow(TypeError);
    const { client } = setup();
    expect(() => client.select('a/b')).toThrow(TypeError);
    expect(() => client.setQuality(1.5)).toThrow(TypeError);
  });

  it('falls back to GET <url>/videos for the catalog and validates it', async () => {
    const videos = [
      {
        id: 'a',
        title: 'A',
        duration: 10,
        width: 640,
        height: 360,
        fps: 25,
        hasAudio: false,
        thumbnailUrl: '/live/videos/a/thumbnail.jpg',
      },
    ];
    const fetchStub = vi.fn(async () => new Response(JSON.stringify(videos), { status: 200 }));
    const { client } = setup({ fetch: fetchStub as typeof fetch, initialVideoId: null });
    await client.loadCatalog();
    expect(fetchStub).toHaveBeenCalledWith('/live/videos', expect.anything());
    expect(client.getSnapshot().catalog).toEqual(videos);

    const broken = vi.fn(async () => new Response(JSON.stringify([{ id: 'a' }]), { status: 200 }));
    const other = setup({ fetch: broken as typeof fetch });
    await other.client.loadCatalog();
    expect(other.client.getSnapshot().catalog).toBeNull();
    expect(other.client.getSnapshot().catalogError).toMatch(/entry 0 is not a video/);
  });
});
