import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { ensureSampleVideos } from '../examples/demo/samples';
import { fixturePath } from '../test/fixtures/fixture-files';
import { generateFixtures } from '../test/fixtures/generate-fixtures';
import { isRunningAs, machineCpuPercent, sampleMachine } from './infra/proc-stats';
import { type ServerChild, startServerChild } from './infra/server-child';
import {
  busySourceTable,
  chatTable,
  controlFloodTable,
  fanOutTable,
  hlsBurstTable,
  hlsJoinTable,
  hlsLatencyTable,
  hlsLoadTable,
  hlsPlayerTable,
  networkMediansTable,
  networksTable,
  networkTimelines,
  reactionTable,
  stalledTable,
} from './report';
import { runBroadcastFanOutStep } from './steps/broadcast-fan-out-step';
import {
  type BroadcastFanOutResult,
  type BroadcastLatencyResult,
  broadcastFanOutTable,
  broadcastLatencyTable,
} from './steps/broadcast-figures';
import { runBroadcastLatencyStep } from './steps/broadcast-latency-step';
import { type BusySourceResult, runBusySourceStep } from './steps/busy-source-step';
import { type ChatResult, runChatStep } from './steps/chat-step';
import { type ControlFloodResult, runControlFloodStep } from './steps/control-flood-step';
import { type FanOutAudio, type FanOutResult, runFanOutStep, type StepTiming } from './steps/fan-out-step';
import { runFirstRunStep } from './steps/first-run-step';
import { type HlsJoinResult, runHlsJoinStep } from './steps/hls-join-step';
import { type HlsLatencyResult, runHlsLatencyStep } from './steps/hls-latency-step';
import { type HlsLoadResult, runHlsLoadStep } from './steps/hls-load-step';
import { type HlsPlayerResult, runHlsPlayerStep } from './steps/hls-player-step';
import { selectProfiles } from './steps/network-profiles';
import {
  type NetworksResult,
  type NetworkTransport,
  runNetworksStep,
  serverTcpSummary,
} from './steps/networks-step';
import { type ReactionResult, runReactionStep } from './steps/reaction-step';
import { type SoakResult, soakTables } from './steps/soak-figures';
import { runSoakStep } from './steps/soak-step';
import { runStalledStep, type StalledResult } from './steps/stalled-step';

/**
 * Each size runs REPEATS times and the table shows the run with the median p99 delay, plus the p99 spread:
 * at 500 viewers the fleet and the server together nearly fill both cores, and one run's tail depends on how
 * the kernel happened to schedule them (p99 33–315 ms seen between otherwise identical runs).
 */
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
// `BENCH_FLEET=500 npm run bench` measures other fleet sizes.
const FLEET_SIZES = (process.env.BENCH_FLEET ?? '1,50,200,500,1000').split(',').map(Number);
// `BENCH_AUDIO=opus`: the fan-out's viewers ask for Opus, as today's player does; PCM (old clients) by default,
// so the table compares with earlier ones.
const FAN_OUT_AUDIO: FanOutAudio = process.env.BENCH_AUDIO === 'opus' ? 'opus' : 'pcm';
const TIMING: StepTiming = { warmUpMs: 3000, measureMs: 10_000, firstFrameTimeoutMs: 15_000 };
const STALLED_VIEWERS = 50;
const STALL_MS = 45_000;
/**
 * The default buffer cap, spelled out so the stalled step can compare memory with it. The heartbeat is longer
 * than the default 10 s: with it, stalled viewers would be dropped before the kernel's loopback buffers
 * (~4 MB each) fill and the server's own buffering, the thing measured, ever starts.
 */
const SERVER_OPTIONS = { maxBufferedBytes: 2 * 1024 * 1024, heartbeatMs: 60_000 };
/**
 * Control flood (`BENCH_STEPS=control-flood`, not in the default set): one socket that never reads sends 10,000
 * control requests a second for 20 s beside 50 healthy viewers, on the fan-out server (heartbeat 60 s, so the
 * flooder is throttled for the whole flood rather than ended by the heartbeat). Target: healthy p99 < 100 ms.
 */
const CONTROL_FLOOD = { healthyViewers: 50, perSecond: 10_000, seconds: 20 };
/**
 * Chat and reactions: 1,000 room-only viewers (`select` with `media: false`: no frames, and the tiny video-only
 * channel's decoder never starts), one sender at 10 messages a second, then a burst of 5,000 reactions a second
 * from 10 sockets. The per-connection limits are raised so the bench measures fan-out, not the limiter.
 */
const CHAT_VIEWERS = 1000;
const CHAT = { rate: 10, seconds: 10 };
const REACTIONS = { senders: 10, perSecond: 5000, seconds: 3 };
const SOCIAL_OPTIONS = {
  heartbeatMs: 60_000,
  chatRateLimit: { burst: 100, sustained: 100_000, windowMs: 1_000 },
  reactionRateLimit: { burst: 10_000, sustained: 1_000_000, windowMs: 1_000 },
};
/**
 * HLS: a cold packager on the same sample, 1 s segments; one edge player, then 1,000 polling players; then the
 * demo page's player (hls.js in Chromium) from another cold packager, its latency read every 500 ms for 20 s.
 */
const HLS = { segmentSeconds: 1, latencyMs: 20_000, requesters: 1000, loadSeconds: 10, playerMs: 20_000 };
/**
 * HLS join (`hls-join`, issue 11): the demo's player joining a test card whose frames carry their number, cold
 * (the first viewer starts the packager) and warm (the packager has run `warmUpMs`), each measured `measureMs`.
 */
const HLS_JOIN = { segmentSeconds: 1, warmUpMs: 30_000, measureMs: 20_000 };
const HLS_OPTIONS = { hls: { segmentSeconds: HLS.segmentSeconds }, heartbeatMs: 60_000 };
/**
 * Networks (`BENCH_STEPS=networks`, root only, never in the default set: it needs root and takes ~11 minutes):
 * the demo page in Chromium behind linkem, each profile (A–E) once over WebSocket and once over HLS, each run
 * `BENCH_NETWORK_SECONDS` long (60 unless shortened to try it). `BENCH_NETWORK_PROFILES=C,D` and
 * `BENCH_NETWORK_TRANSPORTS=ws` run a part; `BENCH_NETWORK_REPEATS=3` runs each that often (round after round) and
 * reports the medians: single runs of the same code spread widely (issue 9: D's audio gaps 1–4).
 * `BENCH_NETWORK_TCP_CC=cubic` and `BENCH_NETWORK_NOTSENT_LOWAT=16384` set the server namespace's congestion
 * control and `tcp_notsent_lowat` (else it has the machine's: BBR and unlimited here); the report says which.
 * `BENCH_NETWORK_PROBES=<dir>` also writes each run's page probe there (every media message's arrival, the link's
 * counters each second, the schedule), to read a run message by message.
 */
const NETWORKS = {
  runSeconds: Number(process.env.BENCH_NETWORK_SECONDS ?? 60),
  profiles: selectProfiles(process.env.BENCH_NETWORK_PROFILES),
  transports: (process.env.BENCH_NETWORK_TRANSPORTS ?? 'ws,hls').split(',') as NetworkTransport[],
  repeats: Number(process.env.BENCH_NETWORK_REPEATS ?? 1),
  serverTcp: {
    congestionControl: process.env.BENCH_NETWORK_TCP_CC || undefined,
    notSentLowat: process.env.BENCH_NETWORK_NOTSENT_LOWAT
      ? Number(process.env.BENCH_NETWORK_NOTSENT_LOWAT)
      : undefined,
  },
  probesDir: process.env.BENCH_NETWORK_PROBES || undefined,
};
/**
 * Busy server (`busy`): a 1080p60 file on a machine whose cores already run one busy loop each, read by a few
 * headless viewers for 60 s (issue 9: live latency under 1 s throughout, frames shed and counted).
 */
const BUSY = { seconds: Number(process.env.BENCH_BUSY_SECONDS ?? 60), viewers: 5 };
/**
 * Soak (`BENCH_STEPS=soak`, never in the default set: 10 minutes): `BENCH_SOAK_VIEWERS` healthy viewers (200) of
 * the 480p30 sample and a chat at 5 messages/s for `BENCH_SOAK_SECONDS` (600, at least 20), the server's memory
 * sampled every 10 s. The chat limit is raised so one socket can keep that rate up.
 */
const SOAK = {
  viewers: Number(process.env.BENCH_SOAK_VIEWERS ?? 200),
  seconds: Math.max(20, Number(process.env.BENCH_SOAK_SECONDS ?? 600)),
  chatPerSecond: 5,
  sampleEverySec: 10,
  firstFrameTimeoutMs: 15_000,
};
const SOAK_OPTIONS = { chatRateLimit: { burst: 10, sustained: 10, windowMs: 1_000 } };
/**
 * Broadcasts (issue 13), our broadcaster in Chromium sending a canvas into a stream created over REST:
 * `broadcast-latency`, glass to glass to our player in another page for `BENCH_BROADCAST_SECONDS` (60);
 * `broadcast-latency-redis`, the same broadcast into instance A and watched on instance B, two servers with a Redis
 * hub (not in the default set until the Redis feed sharing is in); `broadcast-fanout`, `BENCH_BROADCAST_STREAMS`
 * (3) broadcasts at 720p30 with `BENCH_BROADCAST_VIEWERS` (50) headless viewers each, measured
 * `BENCH_BROADCAST_FANOUT_SECONDS` (20) after a warm-up; `broadcast-fanout-recorded`, the same with each stream fed
 * one browser broadcast recorded alone before, so no browser shares the cores with the server meanwhile.
 * `BENCH_BROADCAST_SIZE` (1280x720) is the broadcasters'
 * canvas, smaller only to try the steps on a busy machine.
 */
const BROADCAST = {
  latencySeconds: Number(process.env.BENCH_BROADCAST_SECONDS ?? 60),
  streams: Number(process.env.BENCH_BROADCAST_STREAMS ?? 3),
  viewers: Number(process.env.BENCH_BROADCAST_VIEWERS ?? 50),
  fanOutSeconds: Number(process.env.BENCH_BROADCAST_FANOUT_SECONDS ?? 20),
  warmUpMs: 3000,
  size: process.env.BENCH_BROADCAST_SIZE ?? '1280x720',
};
const RESULTS_FILE = new URL('./results/latest.json', import.meta.url);
/**
 * `BENCH_STEPS=hls npm run bench` runs some groups only (first-run, fanout, stalled, control-flood, chat, hls,
 * hls-join, busy, networks, soak, broadcast-latency, broadcast-latency-redis, broadcast-fanout,
 * broadcast-fanout-recorded); the default is all
 * but first-run, networks, control-flood, soak and broadcast-latency-redis. `first-run`
 * times `npm start` from a state like a fresh clone's (generated samples and page build removed) to its URL, then
 * warm.
 */
const STEPS = new Set(
  (
    process.env.BENCH_STEPS ??
    'fanout,stalled,chat,hls,hls-join,busy,broadcast-latency,broadcast-fanout,broadcast-fanout-recorded'
  ).split(','),
);

/** The run whose p99 delay is the median of the repeats, with every repeat's p99 kept beside it. */
function medianRun(runs: FanOutResult[]): FanOutResult {
  const byDelay = [...runs].sort((a, b) => a.delayP99Ms - b.delayP99Ms);
  const median = byDelay[Math.floor((byDelay.length - 1) / 2)];
  if (!median) throw new Error('no fan-out run');
  return { ...median, delayP99MsRuns: runs.map((run) => run.delayP99Ms) };
}

/** CPU other processes use before we start: the fleet and the server share the machine with them. */
async function backgroundCpuPercent(): Promise<number> {
  const before = sampleMachine();
  await sleep(1000);
  return machineCpuPercent(before, sampleMachine(), os.cpus().length);
}

/**
 * `npm run bench`: one 480p30 channel served by a child process, fanned out to growing fleets of headless
 * viewers on loopback (each size REPEATS times), a stalled-viewer step, chat and reactions on a second server
 * child, then HLS (an edge player, a thousand polling players, the demo's player in Chromium) on a third.
 * Bounded: every step has a fixed length, and everything is stopped at the end, failed or not.
 */
async function main(): Promise<void> {
  const started = performance.now();
  // First, before anything makes the samples: it removes them and the page build to time a fresh clone's start.
  if (STEPS.has('first-run')) {
    const firstRun = await runFirstRunStep();
    console.log(
      `first run: npm start printed its URL after ${(firstRun.coldMs / 1000).toFixed(1)} s cold ` +
        `(samples and page made), ${(firstRun.warmMs / 1000).toFixed(1)} s warm; ` +
        `${firstRun.unexpectedLines.length} unexpected output line(s)`,
    );
    for (const line of firstRun.unexpectedLines) console.log(`  unexpected: ${line}`);
  }
  const [sample] = await ensureSampleVideos();
  if (!sample) throw new Error('no sample video was generated');
  console.log(
    `Benchmark: ${sample.title} (854x480, 30 fps) on ${os.cpus().length} cores, Node ${process.version}`,
  );
  const background = await backgroundCpuPercent();
  console.log(`Machine busy before start: ${background.toFixed(0)} % of one core`);
  if (background > 20)
    console.warn('  Other processes are using the CPU: the figures below will be pessimistic.');

  let server: ServerChild | undefined;
  let ffmpegPids: number[] = [];
  const fanOut: FanOutResult[] = [];
  let stalled: StalledResult | undefined;
  let controlFlood: ControlFloodResult | undefined;
  let chat: ChatResult | undefined;
  let reactions: ReactionResult | undefined;
  let hlsLatency: HlsLatencyResult | undefined;
  let hlsLoad: HlsLoadResult | undefined;
  let hlsPlayer: HlsPlayerResult | undefined;
  const hlsJoins: HlsJoinResult[] = [];
  let networks: NetworksResult | undefined;
  let busy: BusySourceResult | undefined;
  let soak: SoakResult | undefined;
  const broadcastLatency: BroadcastLatencyResult[] = [];
  const broadcastFanOut: BroadcastFanOutResult[] = [];
  try {
    if (STEPS.has('fanout') || STEPS.has('stalled') || STEPS.has('control-flood')) {
      server = await startServerChild(sample.input, SERVER_OPTIONS);
      console.log(`server pid ${server.pid} at ${server.wsUrl}`);
      for (const viewers of STEPS.has('fanout') ? FLEET_SIZES : []) {
        const runs: FanOutResult[] = [];
        for (let repeat = 0; repeat < REPEATS; repeat++) {
          runs.push(await runFanOutStep(server, viewers, TIMING, FAN_OUT_AUDIO));
          // Let the closed sockets drain before the next fleet arrives.
          await sleep(1500);
        }
        const result = medianRun(runs);
        ffmpegPids = server.ffmpegProcesses().map((process) => process.pid);
        fanOut.push(result);
        console.log(
          `${viewers} viewers: ${result.playing} playing, ${result.fpsMedian.toFixed(1)} fps median, ` +
            `server CPU ${result.serverCpuPercent.toFixed(0)} %, ${result.ffmpegProcesses} ffmpeg, ` +
            `rungs [${result.activeRungs.join(',')}], ` +
            `delay p99 ${result.delayP99Ms} ms` +
            ` (runs: ${result.delayP99MsRuns?.join(', ')} ms)` +
            (Object.keys(result.errors).length ? `, errors ${JSON.stringify(result.errors)}` : ''),
        );
      }
      if (STEPS.has('stalled'))
        stalled = await runStalledStep(server, STALLED_VIEWERS, STALL_MS, SERVER_OPTIONS.maxBufferedBytes);
      if (STEPS.has('control-flood')) {
        await sleep(1500);
        controlFlood = await runControlFloodStep(
          server,
          CONTROL_FLOOD.healthyViewers,
          CONTROL_FLOOD.perSecond,
          CONTROL_FLOOD.seconds * 1000,
        );
        console.log(
          `control flood: ${controlFlood.messagesSent} messages, healthy fps ${controlFlood.healthyFpsMedian.toFixed(1)}, ` +
            `delay p99 ${controlFlood.healthyDelayP99Ms} ms, server RSS ${controlFlood.rssBeforeMb.toFixed(0)} → ` +
            `${controlFlood.rssPeakMb.toFixed(0)} MB`,
        );
      }
      await server.stop();
    }
    if (STEPS.has('chat')) {
      generateFixtures();
      server = await startServerChild(fixturePath('videoOnly'), SOCIAL_OPTIONS);
      chat = await runChatStep(server, CHAT_VIEWERS, CHAT.rate, CHAT.seconds);
      console.log(
        `chat: ${chat.joined}/${chat.viewers} joined, delay p50 ${chat.delayP50Ms} ms, p99 ${chat.delayP99Ms} ms, ` +
          `${chat.deliveredPercent.toFixed(1)} % delivered`,
      );
      await sleep(1500);
      reactions = await runReactionStep(
        server,
        CHAT_VIEWERS,
        REACTIONS.senders,
        REACTIONS.perSecond,
        REACTIONS.seconds,
      );
      console.log(
        `reactions: ${reactions.reactionsPerSecond.toFixed(0)}/s sent, ` +
          `${reactions.messagesPerViewerPerSecondMax.toFixed(2)} messages/s per viewer at most`,
      );
      await server.stop();
    }
    if (STEPS.has('hls')) {
      server = await startServerChild(sample.input, HLS_OPTIONS);
      hlsLatency = await runHlsLatencyStep(server, HLS.segmentSeconds, HLS.latencyMs);
      console.log(
        `HLS: first segment ${hlsLatency.timeToFirstSegmentMs.toFixed(0)} ms, ` +
          `latency p50 ${hlsLatency.latencyP50Ms} ms, p95 ${hlsLatency.latencyP95Ms} ms`,
      );
      hlsLoad = await runHlsLoadStep(server, HLS.requesters, HLS.segmentSeconds, HLS.loadSeconds);
      console.log(
        `HLS load: ${hlsLoad.requestsPerSecond.toFixed(0)} requests/s, p99 ${hlsLoad.allP99Ms} ms, ` +
          `${hlsLoad.failed} failed`,
      );
      // The player brings its own server (the demo's, for the page): this one would only compete for the CPU.
      await server.stop();
      hlsPlayer = await runHlsPlayerStep(sample, HLS.segmentSeconds, HLS.playerMs);
      console.log(
        `HLS player: first frame ${hlsPlayer.timeToFirstFrameMs.toFixed(0)} ms, ` +
          `latency p50 ${hlsPlayer.latencyP50Ms} ms, p95 ${hlsPlayer.latencyP95Ms} ms, ${hlsPlayer.stalls} stalls`,
      );
    }
    if (STEPS.has('hls-join')) {
      for (const kind of ['cold', 'warm'] as const) {
        const join = await runHlsJoinStep(
          kind,
          HLS_JOIN.segmentSeconds,
          HLS_JOIN.measureMs,
          HLS_JOIN.warmUpMs,
        );
        hlsJoins.push(join);
        console.log(
          `HLS ${kind} join: first frame ${join.firstFrameMs} ms, player latency p50 ${join.playerP50Ms} ms, ` +
            `on-screen clock p50 ${join.clockP50Ms} ms, ${join.stalls} stalls`,
        );
      }
    }
    if (STEPS.has('busy')) {
      busy = await runBusySourceStep(BUSY.seconds * 1000, BUSY.viewers);
      console.log(
        `busy 1080p60: latency p50 ${busy.latencyP50Ms} ms, worst p95 ${busy.latencyP95Ms} ms, ` +
          `max ${busy.latencyMaxMs} ms, ${busy.fpsMedian.toFixed(1)} fps, ${busy.framesShed} frames shed`,
      );
    }
    for (const [step, instances] of [
      ['broadcast-latency', 1],
      ['broadcast-latency-redis', 2],
    ] as const) {
      if (!STEPS.has(step)) continue;
      const latency = await runBroadcastLatencyStep(instances, BROADCAST.latencySeconds, BROADCAST.size);
      broadcastLatency.push(latency);
      console.log(
        `broadcast glass to glass (${instances === 1 ? 'one instance' : 'A → Redis → B'}): ` +
          `p50 ${latency.p50Ms} ms, p95 ${latency.p95Ms} ms, max ${latency.maxMs} ms, ` +
          `${latency.frames} frames read (${latency.unread} unread)`,
      );
    }
    for (const [step, source] of [
      ['broadcast-fanout', 'browsers'],
      ['broadcast-fanout-recorded', 'recorded'],
    ] as const) {
      if (!STEPS.has(step)) continue;
      const result = await runBroadcastFanOutStep({ ...BROADCAST, source });
      broadcastFanOut.push(result);
      for (const stream of result.streams) {
        console.log(
          `broadcast ${stream.id} (${source}): ${stream.playing}/${stream.viewers} playing, ` +
            `fps min ${stream.fpsMin.toFixed(1)}, median ${stream.fpsMedian.toFixed(1)}, ` +
            `${stream.under25} under 25 fps, input ${stream.inputFps.toFixed(1)} fps, ${stream.framesShed} frames shed`,
        );
      }
    }
    if (STEPS.has('networks')) {
      networks = await runNetworksStep(
        NETWORKS.profiles,
        NETWORKS.transports,
        NETWORKS.runSeconds * 1000,
        NETWORKS.repeats,
        NETWORKS.serverTcp,
        NETWORKS.probesDir,
      );
    }
    if (STEPS.has('soak')) {
      server = await startServerChild(sample.input, SOAK_OPTIONS);
      soak = await runSoakStep(server, SOAK);
      console.log(
        `soak: RSS slope ${soak.rssSlopeMbPerMin.toFixed(2)} MB/min, heap ${soak.heapSlopeMbPerMin.toFixed(2)} ` +
          `MB/min after ${soak.warmUpSec} s; fps ${soak.first.fpsMedian.toFixed(1)} → ` +
          `${soak.last.fpsMedian.toFixed(1)}, delay p99 ${soak.first.delayP99Ms} → ${soak.last.delayP99Ms} ms`,
      );
      await server.stop();
    }
  } finally {
    await server?.stop();
    // The server ends its ffmpeg children on close; one left behind would run on, so say so and end it.
    for (const pid of ffmpegPids.filter((pid) => isRunningAs(pid, 'ffmpeg'))) {
      console.warn(`ffmpeg ${pid} outlived the server: killing it`);
      process.kill(pid, 'SIGKILL');
    }
  }

  const markdown = [
    `### Fan-out: one 480p30 channel, ${FAN_OUT_AUDIO === 'opus' ? 'Opus' : 'PCM'} audio, ` +
      `${TIMING.measureMs / 1000} s measured after ${TIMING.warmUpMs / 1000} s warm-up; each size ${REPEATS}×, ` +
      'the run with the median p99 delay shown',
    '',
    fanOutTable(fanOut),
    '',
    `### Stalled viewers (server heartbeat ${SERVER_OPTIONS.heartbeatMs / 1000} s)`,
    '',
    stalledTable(stalled),
    '',
    ...(controlFlood
      ? [
          `### Control flood: one socket that never reads sends ${CONTROL_FLOOD.perSecond}/s control requests for ` +
            `${CONTROL_FLOOD.seconds} s beside ${CONTROL_FLOOD.healthyViewers} healthy viewers (target p99 < 100 ms)`,
          '',
          controlFloodTable(controlFlood),
          '',
        ]
      : []),
    `### Chat: ${CHAT_VIEWERS} viewers in one room, ${CHAT.rate} messages/s for ${CHAT.seconds} s (target p99 < 100 ms)`,
    '',
    chatTable(chat),
    '',
    `### Reaction burst: ${REACTIONS.perSecond}/s from ${REACTIONS.senders} sockets for ${REACTIONS.seconds} s ` +
      '(target ≤ 4 messages/s per viewer)',
    '',
    reactionTable(reactions),
    '',
    `### HLS live latency, ${HLS.segmentSeconds} s segments (targets: p95 ≤ 4 s, first segment ≤ 2.5 s)`,
    '',
    hlsLatencyTable(hlsLatency),
    '',
    `### HLS load: ${HLS.requesters} players polling playlist + newest segment for ${HLS.loadSeconds} s ` +
      '(target p99 < 50 ms per request)',
    '',
    hlsLoadTable(hlsLoad),
    '',
    `### HLS herd: then all ${HLS.requesters} players at the same instant, once for the playlist, once for ` +
      'the newest segment (not a target: what a CDN in front absorbs)',
    '',
    hlsBurstTable(hlsLoad),
    '',
    `### HLS in Chromium: the demo's player (hls.js), ${HLS.segmentSeconds} s segments, cold packager, latency ` +
      `read every 500 ms for ${HLS.playerMs / 1000} s (targets: p95 ≤ 4 s, first frame ≤ 2.5 s)`,
    '',
    hlsPlayerTable(hlsPlayer),
    '',
    `### HLS join: the demo's player (hls.js) in Chromium, ${HLS_JOIN.segmentSeconds} s segments, a cold and a ` +
      `warm packager, ${HLS_JOIN.measureMs / 1000} s from the first frame; latency by the player and by the ` +
      'on-screen clock (each frame shown, timed against its moment on the live timeline)',
    '',
    hlsJoinTable(hlsJoins.length > 0 ? hlsJoins : [undefined]),
    '',
    `### Busy server: a 1920x1080 60 fps file, ${os.cpus().length} busy loops beside the server, ` +
      `${BUSY.viewers} viewers, ${BUSY.seconds} s (target: latency under 1 s throughout)`,
    '',
    busySourceTable(busy),
    ...(soak
      ? [
          '',
          `### Soak: ${soak.viewers} viewers of one 480p30 channel, chat at ${soak.chatPerSecond} messages/s, ` +
            `${soak.seconds} s, server memory every ${SOAK.sampleEverySec} s (targets: RSS slope < 1 MB/min after ` +
            'the first minute; fps and delay in the last minute within 5 % of the first)',
          '',
          soakTables(soak),
        ]
      : []),
    ...(broadcastLatency.length > 0
      ? [
          '',
          '### Broadcast glass to glass: our broadcaster (a 30 fps canvas carrying its draw time) in ' +
            'Chromium to our player in another page, WebSocket, loopback (targets: p50 ≤ 500 ms, p95 ≤ 1 s; ' +
            'through Redis at most 150 ms more)',
          '',
          broadcastLatencyTable(broadcastLatency),
        ]
      : []),
    ...broadcastFanOut.flatMap((result) => [
      '',
      `### Broadcast fan-out${result.recorded ? ', recorded broadcasts' : ''}: ${BROADCAST.streams} browser broadcasts at ${BROADCAST.size} 30 fps, ` +
        `${BROADCAST.viewers} ` +
        'headless viewers each (target: every viewer ≥ 25 fps)',
      '',
      broadcastFanOutTable(result),
    ]),
    ...(networks
      ? [
          '',
          `### Shaped links: the demo page in Chromium behind linkem, ${networks.runSeconds} s a run ` +
            `(${networks.order}); server TCP ${serverTcpSummary(networks.serverTcp)}`,
          '',
          networksTable(networks),
          '',
          networkTimelines(networks),
          ...(networks.repeats > 1
            ? ['', `Medians over ${networks.repeats} runs each:`, '', networkMediansTable(networks)]
            : []),
        ]
      : []),
  ].join('\n');
  console.log(`\n${markdown}\n`);
  console.log(`(bench took ${((performance.now() - started) / 1000).toFixed(0)} s)`);

  await mkdir(new URL('./results/', import.meta.url), { recursive: true });
  const machine = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    node: process.version,
    backgroundCpuPercent: background,
  };
  const results = {
    date: new Date().toISOString(),
    machine,
    TIMING,
    SERVER_OPTIONS,
    fanOut,
    stalled,
    controlFlood,
    SOCIAL_OPTIONS,
    chat,
    reactions,
    HLS_OPTIONS,
    hlsLatency,
    hlsLoad,
    hlsPlayer,
    hlsJoins,
    busy,
    networks,
    SOAK_OPTIONS,
    soak,
    BROADCAST,
    broadcastLatency,
    broadcastFanOut,
  };
  await writeFile(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`results: bench/results/latest.json`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
