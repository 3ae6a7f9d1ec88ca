import { ErrorCode, type ServerMessage } from '@onair/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath } from '../fixtures/fixture-files';
import { type RunningHost, startHost } from './helpers/host-app';
import { playerFeedback } from './helpers/player-feedback';
import { TestViewer } from './helpers/test-viewer';

const MAX_BUFFERED = 256 * 1024;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ofType = <T extends ServerMessage['type']>(viewer: TestViewer, type: T, from = 0) =>
  viewer.messages.slice(from).filter((message) => message.type === type) as Extract<
    ServerMessage,
    { type: T }
  >[];

/** Sends `perSecond` messages a second, paced by the clock (a late timer tick catches up), until stopped. */
function flood(viewer: TestViewer, perSecond: number, message: (n: number) => string): () => number {
  let sent = 0;
  const started = performance.now();
  const timer = setInterval(() => {
    const due = Math.floor(((performance.now() - started) * perSecond) / 1000);
    while (sent < due) {
      if (viewer.ws.readyState !== viewer.ws.OPEN) return;
      viewer.sendRaw(message(sent++));
    }
  }, 20);
  return () => {
    clearInterval(timer);
    return sent;
  };
}

describe('a client that floods control requests', () => {
  let host: RunningHost;
  const viewers: TestViewer[] = [];
  const connect = async () => {
    const viewer = await TestViewer.connect(host.wsUrl);
    viewers.push(viewer);
    return viewer;
  };
  const encodes = () =>
    host.live
      .stats()
      .channels.flatMap((channel) => channel.rungs)
      .reduce((sum, rung) => sum + rung.encoded, 0);

  beforeAll(async () => {
    host = await startHost(
      [
        { id: 'av', input: fixturePath('audioVideo') },
        { id: 'card', input: 'testsrc2=size=320x240:rate=30', format: 'lavfi' },
      ],
      // A long heartbeat: the bound below must hold by itself, not because the heartbeat ended the flooder.
      { maxBufferedBytes: MAX_BUFFERED, heartbeatMs: 60_000, idleTimeoutMs: 60_000 },
    );
  });

  afterAll(async () => {
    for (const viewer of viewers) viewer.close();
    await host?.close();
  });

  it('stays within its buffer budget while it never reads, and a healthy viewer beside it keeps its frame rate', async () => {
    const healthy = await connect();
    healthy.send({ type: 'select', videoId: 'av' });
    await healthy.collectVideo(5);

    const flooder = await connect();
    flooder.send({ type: 'select', videoId: 'card' });
    await flooder.next('room');
    flooder.stopReading();
    const stop = flood(flooder, 1_000, (n) =>
      n % 2 === 0
        ? JSON.stringify({ type: 'select', videoId: n % 4 === 0 ? 'av' : 'card' })
        : '{"type":"catalog"}',
    );
    const from = healthy.video.length;
    const started = Date.now();
    let largest = 0;
    while (Date.now() - started < 5_000) {
      await sleep(100);
      const session = newestSession();
      largest = Math.max(largest, session?.bufferedAmount ?? 0);
    }
    const fps = (healthy.video.length - from) / ((Date.now() - started) / 1000);
    const sent = stop();
    expect(sent).toBeGreaterThan(3_000);

    // The loopback's own buffers take a few MB first; past them, the server adds nothing beyond its budget and
    // one message. Before the bound, thousands of answers queued here (tens of MB in these seconds).
    expect(largest).toBeLessThanOrEqual(MAX_BUFFERED + 128 * 1024);
    const session = newestSession();
    expect(session?.controlCoalesced).toBeGreaterThan(1_000);
    // 30 fps when the machine is idle; half of it allows for a machine shared with other suites, while a viewer
    // starved by the flood would get far fewer.
    expect(fps).toBeGreaterThan(15);
    expect(healthy.closeEvent).toBeNull();
    flooder.close();
    healthy.close();
  });

  it('answers a flood of catalog requests it reads with a few catalogs, not one per request', async () => {
    const viewer = await connect();
    const from = viewer.messages.length;
    for (let n = 0; n < 500; n++) viewer.send({ type: 'catalog' });
    await sleep(1_500);
    const catalogs = ofType(viewer, 'catalog', from).length;
    // The burst at once, then about one per token (10 a second): never 500.
    expect(catalogs).toBeGreaterThanOrEqual(20);
    expect(catalogs).toBeLessThan(60);
    viewer.close();
  });

  it('coalesces a select flood: it lands on the last video asked for, with a stream and an encode per token, not per request', async () => {
    const viewer = await connect();
    viewer.send({ type: 'select', videoId: 'av' });
    await viewer.collectVideo(3);
    const before = encodes();
    const from = viewer.messages.length;
    const started = Date.now();
    for (let n = 0; n < 400; n++) viewer.send({ type: 'select', videoId: n % 2 === 0 ? 'card' : 'av' });
    await viewer.waitFor(
      () => ofType(viewer, 'stream', from).at(-1)?.videoId === 'av',
      'the last select',
      8_000,
    );
    await sleep(1_000);
    const seconds = (Date.now() - started) / 1000;
    const streams = ofType(viewer, 'stream', from);
    expect(streams.at(-1)?.videoId).toBe('av');
    expect(streams.length).toBeLessThan(20 + 10 * seconds + 5);
    // Each switch may encode one catch-up frame, and both channels encode their frames for this one viewer: far
    // from one encode per request.
    expect(encodes() - before).toBeLessThan(20 + 10 * seconds + 2 * 30 * seconds + 20);
    viewer.close();
  });

  it('coalesces alternating quality requests: one answer per token, the last rung wins', async () => {
    const viewer = await connect();
    viewer.send({ type: 'select', videoId: 'av' });
    await viewer.next('stream');
    await viewer.collectVideo(3);
    const from = viewer.messages.length;
    const started = Date.now();
    for (let n = 0; n < 1_000; n++) viewer.send({ type: 'quality', rung: n % 2 === 0 ? 0 : 1 });
    viewer.send({ type: 'quality', rung: 1 });
    await viewer.waitFor(() => {
      const last = ofType(viewer, 'quality-changed', from).at(-1);
      return last?.rung === 1 && last.reason === 'request' && Date.now() - started > 1_500;
    }, 'the last quality');
    const seconds = (Date.now() - started) / 1000;
    expect(ofType(viewer, 'quality-changed', from).length).toBeLessThan(20 + 10 * seconds + 5);
    const session = newestSession();
    expect(session?.rung).toBe(1);
    expect(session?.controlCoalesced).toBeGreaterThan(900);
    viewer.close();
  });

  it('refuses requests that cannot wait past the rate with one ONAIR_RATE_LIMITED a second', async () => {
    const viewer = await connect();
    const from = viewer.messages.length;
    for (let n = 0; n < 100; n++) viewer.sendRaw('{"type":"hello","protocolVersion":1}');
    await viewer.nextError(ErrorCode.RateLimited);
    await sleep(300);
    const errors = ofType(viewer, 'error', from);
    // The burst (20) less the token the first hello took: each answered; the rest share one refusal.
    expect(errors.filter((error) => error.code === ErrorCode.HelloRequired)).toHaveLength(19);
    expect(errors.filter((error) => error.code === ErrorCode.RateLimited)).toHaveLength(1);
    expect(errors.every((error) => !error.fatal)).toBe(true);
    // The socket is still usable once tokens come back.
    await sleep(200);
    viewer.send({ type: 'select', videoId: 'av' });
    await viewer.collectVideo(1);
    viewer.close();
  });

  it('keeps a client that sends feedback and catalogs but never reads alive no longer than the heartbeat', async () => {
    const quick = await startHost([{ id: 'av', input: fixturePath('audioVideo') }], { heartbeatMs: 300 });
    try {
      const silent = await TestViewer.connect(quick.wsUrl);
      silent.stopReading();
      const stop = flood(silent, 50, (n) =>
        JSON.stringify(n % 2 === 0 ? playerFeedback() : { type: 'catalog' }),
      );
      await silent.waitFor(() => quick.live.stats().viewers === 0, 'the silent client to be ended', 4_000);
      stop();
      silent.close();
    } finally {
      await quick.close();
    }
  });

  /** The session of the socket connected last (ids grow with each socket). */
  function newestSession() {
    return host.live
      .stats()
      .sessions.reduce<ReturnType<typeof host.live.stats>['sessions'][number] | undefined>(
        (newest, entry) => (newest && newest.id > entry.id ? newest : entry),
        undefined,
      );
  }
});
