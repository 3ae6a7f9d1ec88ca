import { setTimeout as sleep } from 'node:timers/promises';
import { type ChatViewer, openChatViewers } from '../clients/chat-viewer';
import { cpuPercent } from '../infra/proc-stats';
import type { ServerChild } from '../infra/server-child';
import { DelayHistogram } from '../infra/statistics';

export interface ChatResult {
  viewers: number;
  /** Viewers whose `room` message arrived. */
  joined: number;
  messagesSent: number;
  messagesPerSecond: number;
  /** Deliveries counted at the viewers ÷ (messages × joined viewers), %. */
  deliveredPercent: number;
  delayP50Ms: number;
  delayP99Ms: number;
  delayMaxMs: number;
  serverCpuPercent: number;
}

/**
 * `viewers` chat viewers on one stream; one more socket sends `rate` messages a second for `seconds`. The delay
 * of a message at a viewer is send → receipt, both read with `performance.now()` in this process.
 */
export async function runChatStep(
  server: ServerChild,
  viewers: number,
  rate: number,
  seconds: number,
): Promise<ChatResult> {
  const sentAt = new Map<string, number>();
  const delays = new DelayHistogram();
  let delivered = 0;
  let maxDelay = 0;
  const onChat = (clientId: string | undefined, receivedAt: number) => {
    const sent = clientId === undefined ? undefined : sentAt.get(clientId);
    if (sent === undefined) return;
    const delay = receivedAt - sent;
    delays.add(delay);
    maxDelay = Math.max(maxDelay, delay);
    delivered++;
  };
  let fleet: ChatViewer[] = [];
  let sender: ChatViewer[] = [];
  try {
    fleet = await openChatViewers(server.wsUrl, 'bench', viewers, { onChat });
    sender = await openChatViewers(server.wsUrl, 'bench', 1, {});
    const joined = (await Promise.allSettled(fleet.map((viewer) => viewer.joined))).filter(
      (outcome) => outcome.status === 'fulfilled',
    ).length;
    await sleep(1500); // let the join-time viewer counts settle
    const before = server.sample();
    const total = rate * seconds;
    for (let i = 0; i < total; i++) {
      const clientId = `bench-${i}`;
      sentAt.set(clientId, performance.now());
      sender[0]?.send({ type: 'chat-send', clientId, text: `message ${i} of the chat benchmark` });
      await sleep(1000 / rate);
    }
    await sleep(1000);
    const after = server.sample();
    return {
      viewers,
      joined,
      messagesSent: total,
      messagesPerSecond: rate,
      deliveredPercent: joined ? (delivered / (total * joined)) * 100 : 0,
      delayP50Ms: delays.percentile(50),
      delayP99Ms: delays.percentile(99),
      delayMaxMs: maxDelay,
      serverCpuPercent: cpuPercent(before, after),
    };
  } finally {
    for (const viewer of [...fleet, ...sender]) viewer.close();
  }
}
