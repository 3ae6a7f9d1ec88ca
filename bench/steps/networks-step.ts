import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { prepareDemo } from '../../examples/demo/start-demo';
import { CHROMIUM_PATH } from '../../test/e2e/chromium';
import { launchNamespacedChromium, type NamespacedChromium } from '../clients/namespaced-chromium';
import { PAGE_PROBE_SCRIPT, readProbe } from '../clients/page-probe';
import { showPlayerStats } from '../clients/player-stats';
import { buildLinkem, findLinkemDirectory, type RunningLink, startLink } from '../infra/linkem';
import { type NamespacedDemoServer, startNamespacedDemoServer } from '../infra/namespaced-demo-server';
import {
  killNamespaceProcesses,
  makeNamespaces,
  NAMESPACES,
  readServerTcp,
  removeNamespaces,
  SERVER_ADDRESS,
  type ServerTcpInUse,
  type ServerTcpSettings,
} from '../infra/network-namespaces';
import { type NetworkMedians, networkMedians, secondsOrNever } from './network-medians';
import { type NetworkProfile, profileSchedule } from './network-profiles';
import { type NetworkRunResult, type NetworkTransport, runFigures } from './network-run-figures';
import type { RecordedRun } from './probe-stalls';

export type { NetworkRunResult, NetworkTransport } from './network-run-figures';

export interface NetworksResult {
  runSeconds: number;
  /** How the two transports share a profile: one after the other, each on its own fresh link, server, browser. */
  order: string;
  runs: NetworkRunResult[];
  /** Each profile and transport's runs; above 1, `medians` is what to compare code by. */
  repeats: number;
  medians: NetworkMedians[];
  /** The server's TCP as its sockets had it. */
  serverTcp: ServerTcpInUse;
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
  repeats = 1,
  serverTcp: ServerTcpSettings = {},
  probesDir?: string,
): Promise<NetworksResult> {
  const unknown = transports.filter((transport) => transport !== 'ws' && transport !== 'hls');
  if (unknown.length) throw new Error(`networks: unknown transport(s) ${unknown.join(', ')} (ws, hls)`);
  if (!(runMs >= 5_000)) throw new Error(`networks: a run must last at least 5 s, got ${runMs / 1000} s`);
  if (!(Number.isInteger(repeats) && repeats >= 1))
    throw new Error(`networks: repeats must be a whole number from 1, got ${repeats}`);
  const { linkem: source, problems } = networksPrerequisites();
  if (problems.length || !source) {
    throw new Error(`networks step cannot run on this machine: ${problems.join('; ')}. No link was faked.`);
  }
  const binary = buildLinkem(source);
  // Made now, not when the first run ends: a missing folder must not cost a run.
  if (probesDir) mkdirSync(probesDir, { recursive: true });
  await prepareDemo(undefined, (line) => console.log(`  ${line}`));
  const stopCleanUp = cleanUpOnExit();
  const runs: NetworkRunResult[] = [];
  let tcp: ServerTcpInUse;
  try {
    makeNamespaces(binary, serverTcp);
    tcp = readServerTcp();
    console.log(`networks: server TCP ${serverTcpSummary(tcp)}`);
    // Round after round rather than one profile's repeats in a row: a drift of the machine spreads over all.
    for (let round = 1; round <= repeats; round++) {
      for (const profile of profiles) {
        for (const transport of transports) {
          const result = await boundedRun(binary, profile, transport, runMs, probesDir);
          runs.push(result);
          const which = repeats > 1 ? ` (run ${round} of ${repeats})` : '';
          console.log(`networks ${profile.id} ${transport}${which}: ${runSummary(result)}`);
        }
      }
    }
  } finally {
    removeNamespaces();
    stopCleanUp();
  }
  const medians = networkMedians(runs);
  if (repeats > 1)
    for (const row of medians)
      console.log(`networks ${row.profile} ${row.transport}: ${mediansSummary(row)}`);
  return {
    runSeconds: runMs / 1000,
    order: 'WebSocket run, then HLS run, one after the other',
    runs,
    repeats,
    medians,
    serverTcp: tcp,
  };
}

/** "bbr, tcp_notsent_lowat unlimited": how the server's kernel sent, for the report. */
export function serverTcpSummary(tcp: ServerTcpInUse): string {
  const lowat = tcp.notSentLowat === null ? 'unlimited' : `${tcp.notSentLowat} bytes`;
  return `${tcp.congestionControl}, tcp_notsent_lowat ${lowat}`;
}

function mediansSummary(row: NetworkMedians): string {
  const responses =
    row.stepDownMs === null && row.backToTopMs === null && row.neverBackToTop === 0
      ? ''
      : `, stepped down ${secondsOrNever(row.stepDownMs)}, back on top ${secondsOrNever(row.backToTopMs)} (never in ${row.neverBackToTop})`;
  return (
    `median of ${row.runs}: ${row.fpsMedian} fps, frozen ${row.frozenPercent.toFixed(1)} %, ` +
    `${row.audioGapCount} audio gaps (${row.audioGapMs.toFixed(0)} ms; ${row.audioGapsAfterFirstSecond} after the first second), ` +
    `latency p50 ${row.latencyP50Ms} / p95 ${row.latencyP95Ms} ms, ${row.switchesAfter5s} switches after 5 s` +
    responses
  );
}

function runSummary(run: NetworkRunResult): string {
  const gaps = run.audioGaps
    ? `${run.audioGaps.count} audio gaps, ${run.audioGaps.afterFirstSecond} after the first second (${run.audioGaps.totalMs.toFixed(0)} ms` +
      run.audioGaps.gaps.map((gap) => `; ${(gap.t / 1000).toFixed(1)} s: ${gap.ms.toFixed(0)} ms`).join('') +
      ')'
    : 'audio n/a';
  return (
    `first frame ${run.timeToFirstFrameMs.toFixed(0)} ms, ${run.fpsMedian} fps (p10 ${run.fpsP10}), ` +
    `frozen ${run.frozenPercent.toFixed(1)} %, ${gaps}, latency p50 ${run.latencyP50Ms} / p95 ${run.latencyP95Ms} ms, ` +
    `${run.switches} switches, link ${run.linkKbps.toFixed(0)} kbps` +
    (run.audioCodec ? `, audio ${run.audioCodec}` : '')
  );
}

/** One run, stopped if it overruns: killing the namespaces' processes ends whatever it waits for. */
async function boundedRun(
  binary: string,
  profile: NetworkProfile,
  transport: NetworkTransport,
  runMs: number,
  probesDir: string | undefined,
): Promise<NetworkRunResult> {
  let timer: NodeJS.Timeout | undefined;
  const overrun = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      killNamespaceProcesses();
      reject(new Error(`networks ${profile.id} ${transport}: the run overran by ${RUN_GRACE_MS / 1000} s`));
    }, runMs + RUN_GRACE_MS);
  });
  try {
    return await Promise.race([runOnce(binary, profile, transport, runMs, probesDir), overrun]);
  } finally {
    clearTimeout(timer);
  }
}

async function runOnce(
  binary: string,
  profile: NetworkProfile,
  transport: NetworkTransport,
  runMs: number,
  probesDir: string | undefined,
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
    await showPlayerStats(page, STATS_BUTTON_TIMEOUT_MS).catch(() =>
      console.warn(`networks ${profile.id} ${transport}: the stats button never appeared`),
    );
    await sleep(Math.max(0, startedAt + runMs - Date.now()));
    const probe = await readProbe(page);
    const endMs = Date.now() - probe.timeOrigin;
    // The link schedule ran on this process's clock from `startedAt`; the page counts from its navigation.
    const pageSchedule = schedule.map((change) => ({
      ...change,
      atMs: startedAt + change.atMs - probe.timeOrigin,
    }));
    if (probesDir) {
      // Everything the page saw, for reading one run message by message (which socket stalled, and when).
      const file = path.join(probesDir, `${profile.id}-${transport}-${Math.round(probe.timeOrigin)}.json`);
      const recorded: RecordedRun = { schedule: pageSchedule, link: link.reports, probe };
      writeFileSync(file, JSON.stringify(recorded));
      console.log(`networks ${profile.id} ${transport}: the page's probe is in ${file}`);
    }
    return runFigures({
      profile,
      transport,
      runMs,
      probe,
      endMs,
      schedule: pageSchedule,
      link: link.reports,
      machineLoad: os.loadavg()[0] ?? Number.NaN,
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
