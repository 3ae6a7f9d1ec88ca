import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { encodeMessage, PROTOCOL_VERSION } from '@onair/protocol';
import { LeanWebSocket } from '../clients/lean-websocket';
import { ViewerFleet } from '../clients/viewer-fleet';
import { cpuPercent, machineCpuPercent, sampleMachine } from '../infra/proc-stats';
import type { ServerChild } from '../infra/server-child';

export interface ControlFloodResult {
  healthyViewers: number;
  messagesPerSecond: number;
  floodSeconds: number;
  /** Messages the flooder wrote before it stopped or the server closed it. */
  messagesSent: number;
  healthyFpsMedian: number;
  healthyFpsMin: number;
  healthyDelayP50Ms: number;
  healthyDelayP99Ms: number;
  serverCpuPercent: number;
  serverLoopDelayP99Ms: number;
  machineCpuPercent: number;
  rssBeforeMb: number;
  rssPeakMb: number;
  /** The flooder's session as the server reported it: its largest buffer, and what it coalesced or refused. */
  flooderMaxBufferedKb: number;
  flooderCoalesced: number;
  flooderRefused: number;
  /** Seconds into the flood when the server closed the flooder, or null if it stayed open (throttled). */
  flooderClosedAfterS: number | null;
}

/** What the flooder cycles through: every request a player may repeat, the expensive ones included. */
const FLOOD_MESSAGES = [
  encodeMessage({ type: 'select', videoId: 'bench' }),
  encodeMessage({ type: 'catalog' }),
  encodeMessage({ type: 'quality', rung: 0 }),
  encodeMessage({ type: 'select', videoId: 'bench', media: false }),
  encodeMessage({ type: 'quality', rung: 5 }),
  encodeMessage({ type: 'viewer-limits', maxFps: 15 }),
];

const BATCH_MS = 10;

/**
 * One socket says hello, then never reads again and sends `messagesPerSecond` control requests (select,
 * catalog, quality, viewer-limits in turn) for `floodMs`, beside `healthyViewers` viewers watching the channel
 * (issue 10, finding 1 and 7). Measured: the healthy viewers' frame rate and delay during the flood, the server's
 * CPU and RSS, and what became of the flooder (throttled, or closed). Target: healthy p99 delay < 100 ms.
 */
export async function runControlFloodStep(
  server: ServerChild,
  healthyViewers: number,
  messagesPerSecond: number,
  floodMs: number,
): Promise<ControlFloodResult> {
  const healthy = new ViewerFleet(server.wsUrl, 'bench');
  let flooder: LeanWebSocket | null = null;
  let timer: NodeJS.Timeout | undefined;
  try {
    await healthy.connect(healthyViewers);
    await healthy.waitForFirstFrames(15_000);
    await sleep(3000);
    const rssBefore = server.sample().rssBytes;

    let sent = 0;
    let closedAt: number | null = null;
    let floodStarted = 0;
    const welcomed = new Promise<void>((resolve, reject) => {
      const socket = new LeanWebSocket(server.wsUrl, {
        onOpen: () =>
          socket.sendText(
            encodeMessage({ type: 'hello', protocolVersion: PROTOCOL_VERSION, client: 'flood' }),
          ),
        onText: (text) => {
          if (text.includes('"welcome"')) {
            socket.pause();
            resolve();
          }
        },
        onBinary: () => {},
        onClose: () => {
          closedAt ??= performance.now();
          reject(new Error('the flooder closed before its welcome'));
        },
      });
      flooder = socket;
    });
    await welcomed;

    await server.liveStats(); // resets the server's loop-delay histogram
    const serverBefore = server.sample();
    const machineBefore = sampleMachine();
    healthy.startWindow();
    floodStarted = performance.now();
    const perBatch = Math.round((messagesPerSecond * BATCH_MS) / 1000);
    timer = setInterval(() => {
      // Paced by the clock: a late tick sends what the missed ones would have.
      const due = Math.floor(((performance.now() - floodStarted) * messagesPerSecond) / 1000) - sent;
      for (let i = 0; i < Math.min(due, perBatch * 10); i++) {
        if (!flooder?.open) return;
        flooder.sendText(FLOOD_MESSAGES[sent % FLOOD_MESSAGES.length]!);
        sent++;
      }
    }, BATCH_MS);

    let rssPeak = rssBefore;
    let flooderMaxBuffered = 0;
    let flooderCoalesced = 0;
    let flooderRefused = 0;
    for (let elapsed = 0; elapsed < floodMs; elapsed += 1000) {
      await sleep(1000);
      rssPeak = Math.max(rssPeak, server.sample().rssBytes);
      const { live } = await server.liveStats();
      // The flooder is the one socket the server coalesces for; the healthy viewers ask for nothing twice.
      const session = live.sessions.reduce<(typeof live.sessions)[number] | undefined>(
        (top, entry) => (top && top.controlCoalesced >= entry.controlCoalesced ? top : entry),
        undefined,
      );
      if (session && session.controlCoalesced > 0) {
        flooderMaxBuffered = Math.max(flooderMaxBuffered, session.bufferedAmount);
        flooderCoalesced = session.controlCoalesced;
        flooderRefused = session.controlRefused;
      }
      if (!(flooder as LeanWebSocket | null)?.open) closedAt ??= performance.now();
    }
    clearInterval(timer);
    const window = healthy.endWindow();
    const serverAfter = server.sample();
    const machineAfter = sampleMachine();
    const { loopDelay } = await server.liveStats();
    const fps = window.fpsPerViewer;
    return {
      healthyViewers,
      messagesPerSecond,
      floodSeconds: floodMs / 1000,
      messagesSent: sent,
      healthyFpsMedian: fps[Math.floor(fps.length / 2)] ?? 0,
      healthyFpsMin: fps[0] ?? 0,
      healthyDelayP50Ms: window.delays.percentile(50),
      healthyDelayP99Ms: window.delays.percentile(99),
      serverCpuPercent: cpuPercent(serverBefore, serverAfter),
      serverLoopDelayP99Ms: loopDelay.p99Ms,
      machineCpuPercent: machineCpuPercent(machineBefore, machineAfter, os.cpus().length),
      rssBeforeMb: rssBefore / 2 ** 20,
      rssPeakMb: rssPeak / 2 ** 20,
      flooderMaxBufferedKb: flooderMaxBuffered / 1024,
      flooderCoalesced,
      flooderRefused,
      flooderClosedAfterS: closedAt === null ? null : (closedAt - floodStarted) / 1000,
    };
  } finally {
    clearInterval(timer);
    (flooder as LeanWebSocket | null)?.terminate();
    healthy.close();
  }
}
