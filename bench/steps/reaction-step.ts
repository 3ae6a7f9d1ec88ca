import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_REACTIONS } from '@onair/protocol';
import { type ChatViewer, openChatViewers } from '../clients/chat-viewer';
import { cpuPercent } from '../infra/proc-stats';
import type { ServerChild } from '../infra/server-child';
import { percentile, sortedCopy } from '../infra/statistics';

export interface ReactionResult {
  viewers: number;
  senders: number;
  /** Reactions sent per second, all senders together. */
  reactionsPerSecond: number;
  seconds: number;
  reactionsSent: number;
  /** Reactions the `reactions` messages of one viewer added up to, ÷ sent, %. */
  countedPercent: number;
  /** `reactions` messages per viewer per second over the burst: median and highest over all viewers. */
  messagesPerViewerPerSecondMedian: number;
  messagesPerViewerPerSecondMax: number;
  /** The most `reactions` messages any viewer got within one wall-clock second of the burst. */
  worstSecondPerViewer: number;
  serverCpuPercent: number;
}

const TICK_MS = 10;

/**
 * A reaction burst: `senders` sockets together send `perSecond` reactions a second for `seconds` (the bench
 * server's per-connection reaction limit is raised for it), while `viewers` listen and count the `reactions`
 * messages they get: batching must keep that at ≤ 4 a second however big the burst.
 */
export async function runReactionStep(
  server: ServerChild,
  viewers: number,
  senders: number,
  perSecond: number,
  seconds: number,
): Promise<ReactionResult> {
  let burstStart = 0;
  const perSecondBuckets = new Map<ChatViewer, number[]>();
  let counted = 0;
  let firstViewer: ChatViewer | undefined;
  const onReactions = (viewer: ChatViewer, counts: Record<string, number>, receivedAt: number) => {
    if (burstStart === 0) return;
    const second = Math.floor((receivedAt - burstStart) / 1000);
    const buckets = perSecondBuckets.get(viewer) ?? [];
    buckets[second] = (buckets[second] ?? 0) + 1;
    perSecondBuckets.set(viewer, buckets);
    if (viewer === firstViewer) for (const count of Object.values(counts)) counted += count;
  };
  let fleet: ChatViewer[] = [];
  let senderSockets: ChatViewer[] = [];
  try {
    fleet = await openChatViewers(server.wsUrl, 'bench', viewers, { onReactions });
    firstViewer = fleet[0];
    senderSockets = await openChatViewers(server.wsUrl, 'bench', senders, {});
    await sleep(1000);
    for (const viewer of fleet) viewer.reactionMessages = 0;
    const before = server.sample();
    burstStart = performance.now();
    // Paced by the clock, not by the tick count: timers drift late, and the rate must hold anyway.
    let sent = 0;
    for (let elapsed = 0; elapsed < seconds * 1000; elapsed = performance.now() - burstStart) {
      const due = Math.floor((elapsed * perSecond) / 1000);
      for (; sent < due; sent++) {
        const sender = senderSockets[sent % senderSockets.length];
        const emoji = DEFAULT_REACTIONS[sent % DEFAULT_REACTIONS.length] ?? '👍';
        sender?.send({ type: 'reaction', emoji, x: Math.random(), y: Math.random() });
      }
      await sleep(TICK_MS);
    }
    const burstSeconds = (performance.now() - burstStart) / 1000;
    await sleep(1000); // the last batches
    const after = server.sample();
    const rates = sortedCopy(fleet.map((viewer) => viewer.reactionMessages / (burstSeconds + 0.5)));
    let worstSecond = 0;
    for (const buckets of perSecondBuckets.values()) {
      for (const count of buckets) worstSecond = Math.max(worstSecond, count ?? 0);
    }
    return {
      viewers,
      senders,
      reactionsPerSecond: sent / burstSeconds,
      seconds: burstSeconds,
      reactionsSent: sent,
      countedPercent: sent ? (counted / sent) * 100 : 0,
      messagesPerViewerPerSecondMedian: percentile(rates, 50),
      messagesPerViewerPerSecondMax: percentile(rates, 100),
      worstSecondPerViewer: worstSecond,
      serverCpuPercent: cpuPercent(before, after),
    };
  } finally {
    for (const viewer of [...fleet, ...senderSockets]) viewer.close();
  }
}
