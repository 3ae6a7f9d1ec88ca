import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath } from '../fixtures/fixture-files';
import { type RunningHost, startHost } from './helpers/host-app';
import { TestViewer } from './helpers/test-viewer';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** PROTOCOL.md, "Connection": the server times each viewer's round trip with pings carrying `rtt`. */
describe('round-trip pings', () => {
  let host: RunningHost;
  const viewers: TestViewer[] = [];

  beforeAll(async () => {
    // A heartbeat far off, so every ping seen here is a round-trip ping.
    host = await startHost([{ id: 'av', input: fixturePath('audioVideo') }], { heartbeatMs: 60_000 });
  });

  afterAll(async () => {
    for (const viewer of viewers) viewer.close();
    await host?.close();
  });

  const watch = async (autoAck: boolean) => {
    const viewer = await TestViewer.connect(host.wsUrl, { autoAck });
    viewers.push(viewer);
    const pings: string[] = [];
    viewer.ws.on('ping', (payload: Buffer) => pings.push(payload.toString()));
    viewer.send({ type: 'select', videoId: 'av' });
    await viewer.collectVideo(2);
    return pings;
  };

  it('pings a viewer that acks video about once a second with the payload rtt, and ws answers by itself', async () => {
    const pings = await watch(true);
    const from = pings.length;
    await sleep(3_200);
    const seen = pings.slice(from);
    expect(seen.every((payload) => payload === 'rtt')).toBe(true);
    // One a second at most, and one in flight: a second ping means the server matched the first one's pong (ws
    // answers it by itself, echoing the payload).
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen.length).toBeLessThanOrEqual(4);
  });

  it('does not ping a viewer that acks nothing (the heartbeat alone finds it)', async () => {
    const pings = await watch(false);
    await sleep(1_500);
    expect(pings).toEqual([]);
  });
});
