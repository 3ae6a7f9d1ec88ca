import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { prepareDemo } from '../../examples/demo/start-demo';
import { CHROMIUM_PATH } from '../../test/e2e/chromium';
import { launchNamespacedChromium, type NamespacedChromium } from '../clients/namespaced-chromium';
import { PAGE_PROBE_SCRIPT, type PageProbe, readProbe } from '../clients/page-probe';
import {
  buildLinkem,
  findLinkemDirectory,
  type LinkReport,
  type RunningLink,
  startLink,
} from '../infra/linkem';
import { type NamespacedDemoServer, startNamespacedDemoServer } from '../infra/namespaced-demo-server';
import {
  killNamespaceProcesses,
  makeNamespaces,
  NAMESPACES,
  removeNamespaces,
  SERVER_ADDRESS,
} from '../infra/network-namespaces';
import { percentile, sortedCopy } from '../infra/statistics';
import { type NetworkProfile, profileSchedule, type ScheduledChange } from './network-profiles';
import {
  audioGaps,
  framesPerSecond,
  frozenMs,
  linkKbps,
  medianAndP10,
  parseHlsLevel,
  parseMs,
  type RungPoint,
  rungChanges,
  stallTransitions,
  switchCount,
  timeOnRungs,
  timeToRung,
  timeToStepDown,
} from './playback-figures';

export type NetworkTransport = 'ws' | 'hls';

/** What the player did after a link change: how long until it stepped down (rate fell) or reached the top. */
export interface LinkResponse {
  /** Page time of the change, ms from navigation. */
  atMs: number;
  downKbps: number;
  kind: 'step-down' | 'back-to-top';
  /** Null: it did not, before the next change or the end. */
  afterMs: number | null;
}

export interface NetworkRunResult {
  profile: NetworkProfile['id'];
  label: string;
  transport: NetworkTransport;
  runSeconds: number;
  /** Navigation start → first picture (page load over the shaped link included). NaN: never. */
  timeToFirstFrameMs: number;
  /** Pictures per whole second from the first frame to the end. */
  fpsMedian: number;
  fpsP10: number;
  /** Time in gaps of more than 200 ms without a new picture, % of first frame → end. */
  frozenPercent: number;
  /**
   * WebSocket: silence the player's AudioWorklet inserted after its first sound (ring buffer dry). HLS: time the
   * `<video>` stalled (`waiting` → `playing`) after its first frame, sound and picture together. Null: the page
   * showed no audio path this bench can watch.
   */
  audioGaps: { count: number; totalMs: number; source: 'worklet' | 'video-stalls' } | null;
  /** Time to first sound (WebSocket worklet), ms from navigation; null if none. */
  firstSoundMs: number | null;
  /** The player's own Latency readout (stats), read every 250 ms after the first frame. */
  latencySamples: number;
  latencyP50Ms: number;
  latencyP95Ms: number;
  /** Rung (WebSocket, from `quality-changed`) or HLS level (from the readout) changes after the first. */
  switches: number;
  switchesAfter5s: number;
  /** Index of the top rung or level, and the share of the run spent on it. */
  topRung: number | null;
  topRungPercent: number;
  rungTimeline: RungPoint[];
  responses: LinkResponse[];
  /** Mean bit rate the link delivered to the client, first frame → end (linkem's counters: every byte). */
  linkKbps: number;
  /** Packets the link dropped (random loss, full bottleneck queue), whole run. */
  linkDrops: { loss: number; queue: number };
  /** WebSocket only: media bytes over the socket, and arrival − capture timestamp of video frames. */
  mediaKbps: number | null;
  frameArrivalP50Ms: number | null;
  frameArrivalP95Ms: number | null;
  /** WebSocket only: video frames received with the same sequence as the one before (a rung change's resend). */
  duplicateFrames: number | null;
  /** Share of readings after the first frame with `data-state="live"`. */
  livePercent: number;
  /** Canvas draws seen (WebSocket) beside the pixel-hash changes counted as frames: a check of the probe. */
  canvasDraws: number;
  pictureChanges: number;
}

export interface NetworksResult {
  runSeconds: number;
  /** How the two transports share a profile: one after the other, each on its own fresh link, server, browser. */
  order: string;
  runs: NetworkRunResult[];
}

const PORT = 8080;
/** A run that has not finished this long after its planned end is stopped: the step is bounded. */
const RUN_GRACE_MS = 90_000;
const STATS_BUTTON_TIMEOUT_MS = 30_000;

/** Why the step cannot run here, if it cannot: it never fakes a link. */
export function networksPrerequisites(): { linkem: string | null; problems: string[] } {
  const problems: string[] = [];
  if (process.getuid?.() !== 0)
    problems.push('it must run as root (network namespaces, veth pairs, raw sockets)');
  const found = findLinkemDirectory();
  if (!found.directory)
    problems.push(`linkem.c not found (looked in ${found.looked.join(', ')}; or set LINKEM_DIR)`);
  for (const tool of ['ip', 'gcc']) {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'pipe', timeout: 5_000 });
    } catch {
      problems.push(`\`${tool}\` is not installed`);
    }
  }
  if (!existsSync(CHROMIUM_PATH))
    problems.push(`Chromium not found at ${CHROMIUM_PATH} (or set CHROMIUM_PATH)`);
  return { linkem: found.directory, problems };
}

/**
 * On SIGINT/SIGTERM (or an exit with the namespaces still up) the namespaces go synchronously: their processes
 * (server, ffmpeg, Chromium, linkem) are killed and the veth pairs deleted, so an interrupted bench leaves
 * nothing behind. Returns the function that takes the handlers off again.
 */
function cleanUpOnExit(): () => void {
  const onSignal = (signal: NodeJS.Signals) => {
    console.error(`networks: ${signal}, removing the namespaces`);
    removeNamespaces();
    process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
  };
  const onExit = () => removeNamespaces();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('exit', onExit);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('exit', onExit);
  };
}

/**
 * The player on shaped links: for each profile, the demo page over WebSocket, then over HLS, each `runMs` from
 * navigation, in Chromium in the client namespace, against `npm start -- --hls` in the server namespace, through
 * linkem in the namespace between. Each run gets a fresh link, server (a cold channel) and browser.
 */
export async function runNetworksStep(
  profiles: readonly NetworkProfile[],
  transports: readonly NetworkTransport[],
  runMs: number,
): Promise<NetworksResult> {
  const unknown = transports.filter((transport) => transport !== 'ws' && transport !== 'hls');
  if (unknown.length) throw new Error(`networks: unknown transport(s) ${unknown.join(', ')} (ws, hls)`);
  if (!(runMs >= 5_000)) throw new Error(`networks: a run must last at least 5 s, got ${runMs / 1000} s`);
  const { linkem: source, problems } = networksPrerequisites();
  if (problems.length || !source) {
    throw new Error(`networks step cannot run on this machine: ${problems.join('; ')}. No link was faked.`);
  }
  const binary = buildLinkem(source);
  await prepareDemo(undefined, (line) => console.log(`  ${line}`));
  const stopCleanUp = cleanUpOnExit();
  const runs: NetworkRunResult[] = [];
  try {
    makeNamespaces(binary);
    for (const profile of profiles) {
      for (const transport of transports) {
        const result = await boundedRun(binary, profile, transport, runMs);
        runs.push(result);
        console.log(`networks ${profile.id} ${transport}: ${runSummary(result)}`);
      }
    }
  } finally {
    removeNamespaces();
    stopCleanUp();
  }
  return { runSeconds: runMs / 1000, order: 'WebSocket run, then HLS run, one after the other', runs };
}

function runSummary(run: NetworkRunResult): string {
  const gaps = run.audioGaps
    ? `${run.audioGaps.count} audio gaps (${run.audioGaps.totalMs.toFixed(0)} ms)`
    : 'audio n/a';
  return (
    `first frame ${run.timeToFirstFrameMs.toFixed(0)} ms, ${run.fpsMedian} fps (p10 ${run.fpsP10}), ` +
    `frozen ${run.frozenPercent.toFixed(1)} %, ${gaps}, latency p50 ${run.latencyP50Ms} / p95 ${run.latencyP95Ms} ms, ` +
    `${run.switches} switches, link ${run.linkKbps.toFixed(0)} kbps`
  );
}

/** One run, stopped if it overruns: killing the namespaces' processes ends whatever it waits for. */
async function boundedRun(
  binary: string,
  profile: NetworkProfile,
  transport: NetworkTransport,
  runMs: number,
): Promise<NetworkRunResult> {
  let timer: NodeJS.Timeout | undefined;
  const overrun = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      killNamespaceProcesses();
      reject(new Error(`networks ${profile.id} ${transport}: the run overran by ${RUN_GRACE_MS / 1000} s`));
    }, runMs + RUN_GRACE_MS);
  });
  try {
    return await Promise.race([runOnce(binary, profile, transport, runMs), overrun]);
  } finally {
    clearTimeout(timer);
  }
}

async function runOnce(
  binary: string,
  profile: NetworkProfile,
  transport: NetworkTransport,
  runMs: number,
): Promise<NetworkRunResult> {
  const schedule = profileSchedule(profile, runMs);
  const link: RunningLink = await startLink(binary, schedule[0]!.setting);
  let server: NamespacedDemoServer | undefined;
  let chromium: NamespacedChromium | undefined;
  const timers: NodeJS.Timeout[] = [];
  try {
    server = await startNamespacedDemoServer(SERVER_ADDRESS, PORT);
    chromium = await launchNamespacedChromium(NAMESPACES.client, new URL(server.url).origin);
    const page = await chromium.browser.newPage();
    await page.addInitScript(PAGE_PROBE_SCRIPT);
    const startedAt = Date.now();
    for (const change of schedule.slice(1)) {
      timers.push(setTimeout(() => link.set(change.setting), change.atMs));
    }
    await page.goto(`${server.url}?transport=${transport}`, { timeout: runMs });
    await page
      .locator('.onair-player [data-control="stats"]')
      .click({ timeout: STATS_BUTTON_TIMEOUT_MS })
      .catch(() => console.warn(`networks ${profile.id} ${transport}: the stats button never appeared`));
    await sleep(Math.max(0, startedAt + runMs - Date.now()));
    const probe = await readProbe(page);
    const endMs = Date.now() - probe.timeOrigin;
    // The link schedule ran on this process's clock from `startedAt`; the page counts from its navigation.
    const pageSchedule = schedule.map((change) => ({
      ...change,
      atMs: startedAt + change.atMs - probe.timeOrigin,
    }));
    return runFigures({
      profile,
      transport,
      runMs,
      probe,
      endMs,
      schedule: pageSchedule,
      link: link.reports,
    });
  } finally {
    for (const timer of timers) clearTimeout(timer);
    await chromium?.close();
    await server?.stop();
    await link.stop();
    const left = killNamespaceProcesses();
    if (left)
      console.warn(`networks ${profile.id} ${transport}: ${left} process(es) outlived the run: killed`);
  }
}

interface RunInput {
  profile: NetworkProfile;
  transport: NetworkTransport;
  runMs: number;
  probe: PageProbe;
  /** Page time the probe was read. */
  endMs: number;
  /** Link changes on the page clock. */
  schedule: ScheduledChange[];
  link: readonly LinkReport[];
}

/** The rung timeline: WebSocket from each `quality-changed` (exact), HLS from the readout's level (every 250 ms). */
function rungPoints(input: RunInput): { points: RungPoint[]; top: number | null } {
  const { probe, transport } = input;
  if (transport === 'ws') {
    const points = probe.control
      .filter((message) => message.type === 'quality-changed')
      .map((message) => ({
        t: message.t,
        rung: Number(message.rung),
        label: typeof message.label === 'string' ? message.label : `q${message.quality}`,
        reason: String(message.reason),
      }));
    const stream = probe.control.findLast((message) => message.type === 'stream');
    const welcome = probe.control.findLast((message) => message.type === 'welcome');
    const rungs = Array.isArray(stream?.rungs)
      ? stream.rungs
      : Array.isArray(welcome?.ladder)
        ? welcome.ladder
        : [];
    return { points, top: rungs.length ? rungs.length - 1 : null };
  }
  const points: RungPoint[] = [];
  for (const sample of probe.samples) {
    const level = parseHlsLevel(sample.stats.quality);
    if (level) points.push({ t: sample.t, ...level });
  }
  return { points, top: probe.qualityOptions.length ? probe.qualityOptions.length - 1 : null };
}

export function runFigures(input: RunInput): NetworkRunResult {
  const { probe, endMs, transport, profile } = input;
  const first = probe.firstFrame >= 0 ? probe.firstFrame : Number.NaN;
  const from = Number.isNaN(first) ? endMs : first;
  const fps = medianAndP10(framesPerSecond(probe.frames, from, endMs));
  const frozen = Number.isNaN(first)
    ? 100
    : (frozenMs(
        probe.frames.map((frame) => frame.t),
        from,
        endMs,
      ) /
        (endMs - from)) *
      100;

  const after = probe.samples.filter((sample) => sample.t >= from);
  const latencies = sortedCopy(after.flatMap((sample) => parseMs(sample.stats.latency) ?? []));
  const { points, top } = rungPoints(input);
  const changes = rungChanges(points);

  let gaps: NetworkRunResult['audioGaps'] = null;
  let firstSoundMs: number | null = null;
  if (transport === 'ws' && probe.audioWorklet) {
    const worklet = audioGaps(probe.audio, endMs);
    gaps = { count: worklet.count, totalMs: worklet.totalMs, source: 'worklet' };
    firstSoundMs = worklet.startedAt;
  } else if (transport === 'hls' && !Number.isNaN(first)) {
    const stalls = audioGaps(stallTransitions(probe.mediaEvents, first), endMs);
    gaps = { count: stalls.count, totalMs: stalls.totalMs, source: 'video-stalls' };
  }

  const responses: LinkResponse[] = [];
  for (const [index, change] of input.schedule.entries()) {
    if (index === 0) continue;
    const previous = input.schedule[index - 1]!.setting.down.rate;
    const until = input.schedule[index + 1]?.atMs ?? endMs;
    const falling = change.setting.down.rate < previous;
    responses.push({
      atMs: change.atMs,
      downKbps: change.setting.down.rate / 1000,
      kind: falling ? 'step-down' : 'back-to-top',
      afterMs: falling
        ? timeToStepDown(points, change.atMs, until)
        : top === null
          ? null
          : timeToRung(points, top, change.atMs, until),
    });
  }

  const video = probe.media.filter((media) => media.kind === 'video');
  const inWindow = probe.media.filter((media) => media.t >= from && media.t <= endMs);
  const arrivals = sortedCopy(video.map((media) => probe.timeOrigin + media.t - media.timestamp));
  const seconds = (endMs - from) / 1000;
  const linkDrops = input.link.reduce(
    (sum, report) => ({ loss: sum.loss + report.down.dropLoss, queue: sum.queue + report.down.dropQueue }),
    { loss: 0, queue: 0 },
  );
  return {
    profile: profile.id,
    label: profile.label,
    transport,
    runSeconds: input.runMs / 1000,
    timeToFirstFrameMs: first,
    fpsMedian: fps.median,
    fpsP10: fps.p10,
    frozenPercent: frozen,
    audioGaps: gaps,
    firstSoundMs,
    latencySamples: latencies.length,
    latencyP50Ms: percentile(latencies, 50),
    latencyP95Ms: percentile(latencies, 95),
    switches: switchCount(points),
    switchesAfter5s: switchCount(points, from + 5000),
    topRung: top,
    topRungPercent: top === null ? Number.NaN : (timeOnRungs(points, from, endMs).get(top) ?? 0) * 100,
    rungTimeline: changes,
    responses,
    linkKbps: linkKbps(input.link, probe.timeOrigin + from, probe.timeOrigin + endMs),
    linkDrops,
    mediaKbps:
      transport === 'ws'
        ? (inWindow.reduce((sum, media) => sum + media.bytes, 0) * 8) / seconds / 1000
        : null,
    frameArrivalP50Ms: transport === 'ws' ? percentile(arrivals, 50) : null,
    frameArrivalP95Ms: transport === 'ws' ? percentile(arrivals, 95) : null,
    duplicateFrames:
      transport === 'ws'
        ? video.filter((media, i) => i > 0 && media.sequence === video[i - 1]!.sequence).length
        : null,
    livePercent: after.length
      ? (after.filter((sample) => sample.state === 'live').length / after.length) * 100
      : 0,
    canvasDraws: probe.canvasDraws,
    pictureChanges: probe.frames.length,
  };
}
