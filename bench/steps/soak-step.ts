import { setTimeout as sleep } from 'node:timers/promises';
import { openChatViewers } from '../clients/chat-viewer';
import { type FleetWindowResult, ViewerFleet } from '../clients/viewer-fleet';
import { cpuPercent } from '../infra/proc-stats';
import type { ServerChild } from '../infra/server-child';
import { percentile } from '../infra/statistics';
import {
  type SoakResult,
  type SoakSample,
  type SoakWindow,
  slopeMbPerMinute,
  soakWindowSec,
} from './soak-figures';

export interface SoakPlan {
  viewers: number;
  seconds: number;
  chatPerSecond: number;
  sampleEverySec: number;
  firstFrameTimeoutMs: number;
}

const MB = 2 ** 20;

function windowFigures(window: FleetWindowResult, fromSec: number, toSec: number): SoakWindow {
  return {
    fromSec,
    toSec,
    fpsMedian: percentile(window.fpsPerViewer, 50),
    fpsP5: percentile(window.fpsPerViewer, 5),
    delayP50Ms: window.delays.percentile(50),
    delayP99Ms: window.delays.percentile(99),
  };
}

/**
 * Issue 10's soak: `viewers` healthy viewers on the one channel and a chat at `chatPerSecond` for `seconds`, the
 * server's RSS, heap and external memory sampled every `sampleEverySec`. Memory must stay flat (the slope after
 * the first minute), and what viewers get must not decay (fps and delay in the first minute against the last).
 * One room-only listener counts the chat, so a chat that stops being delivered shows.
 */
export async function runSoakStep(server: ServerChild, plan: SoakPlan): Promise<SoakResult> {
  const fleet = new ViewerFleet(server.wsUrl, 'bench');
  let chatReceived = 0;
  const [listener] = await openChatViewers(server.wsUrl, 'bench', 1, {
    onChat: (clientId) => {
      if (clientId?.startsWith('soak-')) chatReceived++;
    },
  });
  const [sender] = await openChatViewers(server.wsUrl, 'bench', 1, {});
  let chatTimer: NodeJS.Timeout | undefined;
  try {
    await fleet.connect(plan.viewers);
    await fleet.waitForFirstFrames(plan.firstFrameTimeoutMs);

    const started = performance.now();
    const elapsedSec = () => (performance.now() - started) / 1000;
    let chatSent = 0;
    chatTimer = setInterval(() => {
      sender?.send({ type: 'chat-send', clientId: `soak-${chatSent}`, text: `soak message ${chatSent}` });
      chatSent++;
    }, 1000 / plan.chatPerSecond);

    const samples: SoakSample[] = [];
    const takeSample = async () => {
      const { live, memory } = await server.liveStats();
      const sample: SoakSample = {
        atSec: Math.round(elapsedSec()),
        rssMb: memory.rss / MB,
        heapUsedMb: memory.heapUsed / MB,
        externalMb: memory.external / MB,
        viewers: live.viewers,
      };
      samples.push(sample);
      console.log(
        `soak ${sample.atSec} s: RSS ${sample.rssMb.toFixed(1)} MB, heap ${sample.heapUsedMb.toFixed(1)} MB, ` +
          `external ${sample.externalMb.toFixed(1)} MB, ${sample.viewers} viewers, ${chatSent} chat sent`,
      );
    };

    const windowSec = soakWindowSec(plan.seconds);
    const cpuBefore = server.sample();
    await takeSample();
    fleet.startWindow();
    let first: SoakWindow | undefined;
    for (let second = 1; second <= plan.seconds; second++) {
      await sleep(Math.max(0, started + second * 1000 - performance.now()));
      if (second === windowSec) first = windowFigures(fleet.endWindow(), 0, windowSec);
      if (second === plan.seconds - windowSec) fleet.startWindow();
      if (second % plan.sampleEverySec === 0) await takeSample();
    }
    const last = windowFigures(fleet.endWindow(), plan.seconds - windowSec, plan.seconds);
    const cpuAfter = server.sample();
    clearInterval(chatTimer);
    // The last messages sent are still on their way.
    await sleep(1000);
    if (!first) throw new Error('the soak ended before its first window');
    return {
      viewers: plan.viewers,
      seconds: plan.seconds,
      chatPerSecond: plan.chatPerSecond,
      warmUpSec: windowSec,
      samples,
      rssSlopeMbPerMin: slopeMbPerMinute(samples, windowSec, (sample) => sample.rssMb),
      heapSlopeMbPerMin: slopeMbPerMinute(samples, windowSec, (sample) => sample.heapUsedMb),
      externalSlopeMbPerMin: slopeMbPerMinute(samples, windowSec, (sample) => sample.externalMb),
      first,
      last,
      chatSent,
      chatDeliveredPercent: chatSent ? (chatReceived / chatSent) * 100 : Number.NaN,
      playing: fleet.timesToFirstFrame().length,
      closedByServer: fleet.closedByServer(),
      serverCpuPercent: cpuPercent(cpuBefore, cpuAfter),
      errors: Object.fromEntries(fleet.errorSummary()),
    };
  } finally {
    clearInterval(chatTimer);
    fleet.close();
    listener?.close();
    sender?.close();
  }
}
