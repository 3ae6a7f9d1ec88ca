import type { BusySourceResult } from './steps/busy-source-step';
import type { ChatResult } from './steps/chat-step';
import type { ControlFloodResult } from './steps/control-flood-step';
import type { FanOutResult } from './steps/fan-out-step';
import type { HlsJoinResult } from './steps/hls-join-step';
import type { HlsLatencyResult } from './steps/hls-latency-step';
import type { HlsLoadResult } from './steps/hls-load-step';
import type { HlsPlayerResult } from './steps/hls-player-step';
import { type NetworkMedians, secondsOrNever } from './steps/network-medians';
import type { NetworkRunResult } from './steps/network-run-figures';
import type { NetworksResult } from './steps/networks-step';
import type { ReactionResult } from './steps/reaction-step';
import type { StalledResult } from './steps/stalled-step';

const fixed = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '–');

/** A column of a table: its heading beside how a result fills its cell, so the two cannot drift apart. */
type Column<R> = readonly [heading: string, cell: (result: R) => string];

/** A Markdown table, a row per result; a step that did not run (`undefined`) gets a row of dashes. */
function table<R>(columns: readonly Column<R>[], results: readonly (R | undefined)[]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const rows = results.map((result) =>
    columns.map(([, cell]) => (result === undefined ? '–' : cell(result))),
  );
  return [line(columns.map(([heading]) => heading)), line(columns.map(() => '---')), ...rows.map(line)].join(
    '\n',
  );
}

const FAN_OUT: readonly Column<FanOutResult>[] = [
  ['viewers', (r) => String(r.viewers)],
  ['playing', (r) => String(r.playing)],
  ['fps/viewer median', (r) => fixed(r.fpsMedian, 1)],
  ['fps/viewer p5', (r) => fixed(r.fpsP5, 1)],
  ['server CPU %', (r) => fixed(r.serverCpuPercent)],
  ['server RSS MB', (r) => fixed(r.serverRssMb)],
  ['server loop delay p99 ms', (r) => fixed(r.serverLoopDelayP99Ms)],
  ['ffmpeg procs', (r) => String(r.ffmpegProcesses)],
  ['decoders / rung encoders', (r) => `${r.decoders} / ${r.activeRungs.length}`],
  ['ffmpeg CPU %', (r) => fixed(r.ffmpegCpuPercent)],
  ['skipped %', (r) => fixed(r.skippedPercent, 1)],
  ['fleet CPU % (of it kernel)', (r) => `${fixed(r.fleetCpuPercent)} (${fixed(r.fleetKernelCpuPercent)})`],
  ['machine CPU % (of 100 × cores)', (r) => fixed(r.machineCpuPercent)],
  ['delay p50 ms', (r) => fixed(r.delayP50Ms)],
  [
    'delay p99 ms (each run)',
    (r) =>
      `${fixed(r.delayP99Ms)} (${(r.delayP99MsRuns ?? [r.delayP99Ms]).map((ms) => fixed(ms)).join(', ')})`,
  ],
  ['first frame median ms', (r) => fixed(r.timeToFirstFrameMedianMs)],
  ['first frame p95 ms', (r) => fixed(r.timeToFirstFrameP95Ms)],
  ['frame KB', (r) => fixed(r.meanFrameKb, 1)],
];

const STALLED: readonly Column<StalledResult>[] = [
  ['stalled viewers', (r) => String(r.stalledViewers)],
  ['stall s', (r) => String(r.stallSeconds)],
  ['server RSS before → peak MB', (r) => `${fixed(r.rssBeforeMb)} → ${fixed(r.rssPeakMb)}`],
  ['RSS growth per stalled viewer KB', (r) => fixed(r.rssGrowthPerStalledViewerKb)],
  ['configured maxBufferedBytes KB', (r) => fixed(r.maxBufferedKb)],
  [
    'largest stalled bufferedAmount KB (first after s)',
    (r) =>
      `${fixed(r.maxStalledBufferedKb)} (${r.firstBufferedAfterS === null ? 'never' : fixed(r.firstBufferedAfterS)})`,
  ],
  ['ack window frames (KB)', (r) => `${r.ackWindowFrames} (${fixed(r.ackWindowKb)})`],
  ['stalled still open at end', (r) => String(r.stalledStillOpen)],
  [
    'healthy viewer fps, delay p99 ms',
    (r) => `${fixed(r.healthyViewerFps, 1)}, ${fixed(r.healthyViewerDelayP99Ms)}`,
  ],
];

const CONTROL_FLOOD: readonly Column<ControlFloodResult>[] = [
  ['healthy viewers', (r) => String(r.healthyViewers)],
  ['flood sent (per s)', (r) => `${r.messagesSent} (${fixed(r.messagesSent / r.floodSeconds)})`],
  ['healthy fps median (min)', (r) => `${fixed(r.healthyFpsMedian, 1)} (${fixed(r.healthyFpsMin, 1)})`],
  ['healthy delay p50 / p99 ms', (r) => `${fixed(r.healthyDelayP50Ms)} / ${fixed(r.healthyDelayP99Ms)}`],
  ['server CPU %, loop p99 ms', (r) => `${fixed(r.serverCpuPercent)}, ${fixed(r.serverLoopDelayP99Ms)}`],
  ['machine CPU %', (r) => fixed(r.machineCpuPercent)],
  ['server RSS before → peak MB', (r) => `${fixed(r.rssBeforeMb)} → ${fixed(r.rssPeakMb)}`],
  ['flooder bufferedAmount max KB', (r) => fixed(r.flooderMaxBufferedKb)],
  ['flooder coalesced / refused', (r) => `${r.flooderCoalesced} / ${r.flooderRefused}`],
  [
    'flooder closed after s',
    (r) => (r.flooderClosedAfterS === null ? 'open (throttled)' : fixed(r.flooderClosedAfterS, 1)),
  ],
];

const CHAT: readonly Column<ChatResult>[] = [
  ['viewers', (r) => String(r.viewers)],
  ['joined', (r) => String(r.joined)],
  ['messages', (r) => `${r.messagesSent} (${r.messagesPerSecond}/s)`],
  ['delivered %', (r) => fixed(r.deliveredPercent, 1)],
  ['delay p50 ms', (r) => fixed(r.delayP50Ms)],
  ['delay p99 ms', (r) => fixed(r.delayP99Ms)],
  ['delay max ms', (r) => fixed(r.delayMaxMs)],
  ['server CPU %', (r) => fixed(r.serverCpuPercent)],
];

const REACTIONS: readonly Column<ReactionResult>[] = [
  ['viewers', (r) => String(r.viewers)],
  ['reactions/s sent', (r) => fixed(r.reactionsPerSecond)],
  ['reactions counted %', (r) => fixed(r.countedPercent, 1)],
  ['messages/s per viewer median', (r) => fixed(r.messagesPerViewerPerSecondMedian, 2)],
  ['messages/s per viewer max', (r) => fixed(r.messagesPerViewerPerSecondMax, 2)],
  ['most messages in one second', (r) => String(r.worstSecondPerViewer)],
  ['server CPU %', (r) => fixed(r.serverCpuPercent)],
];

const HLS_LATENCY: readonly Column<HlsLatencyResult>[] = [
  ['renditions', (r) => r.renditions.join(', ')],
  ['first segment ms (cold)', (r) => fixed(r.timeToFirstSegmentMs)],
  ['segments', (r) => String(r.segmentsSeen)],
  ['latency p50 ms', (r) => fixed(r.latencyP50Ms)],
  ['latency p95 ms', (r) => fixed(r.latencyP95Ms)],
  ['latency max ms', (r) => fixed(r.latencyMaxMs)],
  ['number regressions', (r) => String(r.numberRegressions)],
];

const HLS_LOAD: readonly Column<HlsLoadResult>[] = [
  ['players', (r) => String(r.requesters)],
  ['rendition', (r) => r.rendition],
  ['requests/s', (r) => fixed(r.requestsPerSecond)],
  ['failed', (r) => String(r.failed)],
  ['playlist p50 / p99 ms', (r) => `${fixed(r.playlistP50Ms)} / ${fixed(r.playlistP99Ms)}`],
  ['segment p50 / p99 ms', (r) => `${fixed(r.segmentP50Ms)} / ${fixed(r.segmentP99Ms)}`],
  ['all p99 ms', (r) => fixed(r.allP99Ms)],
  ['segment KB', (r) => fixed(r.meanSegmentKb)],
  ['server CPU %', (r) => fixed(r.serverCpuPercent)],
  ['packager ffmpeg CPU %', (r) => fixed(r.ffmpegCpuPercent)],
  ['requesters CPU %', (r) => fixed(r.requestersCpuPercent)],
  ['machine CPU % (of 100 × cores)', (r) => fixed(r.machineCpuPercent)],
];

const HLS_BURST: readonly Column<HlsLoadResult>[] = [
  ['players', (r) => String(r.requesters)],
  ['playlist p50 / p99 ms', ({ burst }) => `${fixed(burst.playlistP50Ms)} / ${fixed(burst.playlistP99Ms)}`],
  ['segment p50 / p99 ms', ({ burst }) => `${fixed(burst.segmentP50Ms)} / ${fixed(burst.segmentP99Ms)}`],
  ['failed', ({ burst }) => String(burst.failed)],
];

const HLS_PLAYER: readonly Column<HlsPlayerResult>[] = [
  ['first frame ms (cold, from navigation)', (r) => fixed(r.timeToFirstFrameMs)],
  ['first playing ms', (r) => fixed(r.timeToPlayingMs)],
  ['latency samples', (r) => String(r.latencySamples)],
  ['latency p50 ms', (r) => fixed(r.latencyP50Ms)],
  ['latency p95 ms', (r) => fixed(r.latencyP95Ms)],
  ['latency max ms', (r) => fixed(r.latencyMaxMs)],
  ['stalls', (r) => String(r.stalls)],
  ['level at end', (r) => r.level],
  ['JPEG encoders meanwhile', (r) => String(r.jpegEncoders)],
];

export const fanOutTable = (results: readonly FanOutResult[]) => table(FAN_OUT, results);
export const stalledTable = (r: StalledResult | undefined) => (r ? table(STALLED, [r]) : '(not run)');
export const chatTable = (r: ChatResult | undefined) => table(CHAT, [r]);
export const controlFloodTable = (r: ControlFloodResult | undefined) => table(CONTROL_FLOOD, [r]);
export const reactionTable = (r: ReactionResult | undefined) => table(REACTIONS, [r]);
export const hlsLatencyTable = (r: HlsLatencyResult | undefined) => table(HLS_LATENCY, [r]);
export const hlsLoadTable = (r: HlsLoadResult | undefined) => table(HLS_LOAD, [r]);
export const hlsBurstTable = (r: HlsLoadResult | undefined) => table(HLS_BURST, [r]);
export const hlsPlayerTable = (r: HlsPlayerResult | undefined) => table(HLS_PLAYER, [r]);

const HLS_JOIN: readonly Column<HlsJoinResult>[] = [
  ['join', (r) => (r.join === 'warm' ? `warm (packager up ${fixed(r.warmedMs / 1000)} s)` : 'cold')],
  ['first frame ms', (r) => fixed(r.firstFrameMs)],
  ['player latency p50 / p95 ms', (r) => `${fixed(r.playerP50Ms)} / ${fixed(r.playerP95Ms)}`],
  ['on-screen clock: first second ms', (r) => fixed(r.clockStartMs)],
  [
    'on-screen clock p50 / p95 / max ms',
    (r) => `${fixed(r.clockP50Ms)} / ${fixed(r.clockP95Ms)} / ${fixed(r.clockMaxMs)}`,
  ],
  ['frames timed', (r) => String(r.clockFrames)],
  ['segment listed after its end p50 ms', (r) => fixed(r.listedAfterEndP50Ms)],
  ['stalls', (r) => String(r.stalls)],
  ['level at end', (r) => r.level],
];

export const hlsJoinTable = (results: readonly (HlsJoinResult | undefined)[]) => table(HLS_JOIN, results);

const NETWORKS: readonly Column<NetworkRunResult>[] = [
  ['profile', (r) => `${r.profile}: ${r.label}`],
  ['transport', (r) => (r.transport === 'ws' ? 'WebSocket' : 'HLS')],
  ['first frame ms', (r) => fixed(r.timeToFirstFrameMs)],
  ['fps median (p10)', (r) => `${fixed(r.fpsMedian)} (${fixed(r.fpsP10)})`],
  ['frozen %', (r) => fixed(r.frozenPercent, 1)],
  [
    'audio gaps: count (after 1 s), ms',
    (r) =>
      r.audioGaps
        ? `${r.audioGaps.count} (${r.audioGaps.afterFirstSecond}), ${fixed(r.audioGaps.totalMs)}${r.audioGaps.source === 'video-stalls' ? ' (stalls)' : ''}`
        : 'n/a',
  ],
  ['latency p50 / p95 ms', (r) => `${fixed(r.latencyP50Ms)} / ${fixed(r.latencyP95Ms)}`],
  ['switches (after 5 s)', (r) => `${r.switches} (${r.switchesAfter5s})`],
  ['on top rung %', (r) => fixed(r.topRungPercent)],
  ['link kbps', (r) => fixed(r.linkKbps)],
  ['LIVE %', (r) => fixed(r.livePercent)],
  ['machine load (1 min)', (r) => fixed(r.machineLoad, 1)],
  [
    'HLS newest segment behind p50 / max ms',
    (r) =>
      r.transport === 'hls'
        ? `${fixed(r.newestSegmentBehindP50Ms ?? Number.NaN)} / ${fixed(r.newestSegmentBehindMaxMs ?? Number.NaN)}`
        : '–',
  ],
  [
    'WS frame arrival p50 / p95 ms',
    (r) =>
      r.transport === 'ws'
        ? `${fixed(r.frameArrivalP50Ms ?? Number.NaN)} / ${fixed(r.frameArrivalP95Ms ?? Number.NaN)}`
        : '–',
  ],
];

export const networksTable = (r: NetworksResult | undefined) => (r ? table(NETWORKS, r.runs) : '(not run)');

const NETWORK_MEDIANS: readonly Column<NetworkMedians>[] = [
  ['profile', (m) => m.profile],
  ['transport', (m) => (m.transport === 'ws' ? 'WebSocket' : 'HLS')],
  ['runs', (m) => String(m.runs)],
  ['fps median', (m) => fixed(m.fpsMedian)],
  ['frozen %', (m) => fixed(m.frozenPercent, 1)],
  [
    'audio gaps: count (after 1 s), ms',
    (m) => `${fixed(m.audioGapCount)} (${fixed(m.audioGapsAfterFirstSecond)}), ${fixed(m.audioGapMs)}`,
  ],
  ['latency p50 / p95 ms', (m) => `${fixed(m.latencyP50Ms)} / ${fixed(m.latencyP95Ms)}`],
  ['switches after 5 s', (m) => fixed(m.switchesAfter5s)],
  [
    'stepped down; back on top (never in)',
    (m) =>
      m.stepDownMs === null && m.backToTopMs === null && m.neverBackToTop === 0
        ? '–'
        : `${secondsOrNever(m.stepDownMs)}; ${secondsOrNever(m.backToTopMs)} (${m.neverBackToTop})`,
  ],
];

/** The medians over each profile and transport's repeats (`BENCH_NETWORK_REPEATS`). */
export const networkMediansTable = (r: NetworksResult) => table(NETWORK_MEDIANS, r.medians);

/** For profiles whose link changes (E): the link steps, the rungs the player went through, how fast it followed. */
export function networkTimelines(r: NetworksResult | undefined): string {
  const lines: string[] = [];
  for (const run of r?.runs ?? []) {
    if (run.responses.length === 0) continue;
    const steps = run.responses
      .map(
        (response) => `${(response.downKbps / 1000).toFixed(0)} Mbit/s at ${secondsOrNever(response.atMs)}`,
      )
      .join(', ');
    const rungs = run.rungTimeline
      .map((point) => `${secondsOrNever(point.t)} ${point.label}${point.reason ? ` (${point.reason})` : ''}`)
      .join(' → ');
    const followed = run.responses.map((response) => {
      const change = `after the change to ${(response.downKbps / 1000).toFixed(0)} Mbit/s`;
      if (response.kind === 'step-down' && response.fromRung === 0)
        return `${change}: already on the lowest rung`;
      return `${response.kind === 'step-down' ? 'stepped down' : 'on the top rung'} ${change}: ${secondsOrNever(response.afterMs)}`;
    });
    lines.push(
      `- **${run.profile} ${run.transport === 'ws' ? 'WebSocket' : 'HLS'}**: link ${steps}. ` +
        `Rungs: ${rungs || 'none seen'}. ${followed.join('; ')}.`,
    );
  }
  return lines.join('\n');
}

const BUSY_SOURCE: readonly Column<BusySourceResult['windows'][number]>[] = [
  ['s', (w) => String(w.atS)],
  ['fps median', (w) => fixed(w.fps, 1)],
  [
    'latency p50 / p95 / max ms',
    (w) => `${fixed(w.latencyP50Ms)} / ${fixed(w.latencyP95Ms)} / ${fixed(w.latencyMaxMs)}`,
  ],
  ['channel lag ms', (w) => (w.channelLagMs === null ? '–' : fixed(w.channelLagMs))],
  [
    'output level (fps, height, pictures skipped)',
    (w) =>
      w.outputLevel === null
        ? '–'
        : `${w.outputLevel} (${fixed(w.outputFps ?? Number.NaN)}, ${w.outputHeight}p` +
          `${w.outputSkipFrames ? `, ${w.outputSkipFrames}` : ''})`,
  ],
];

/** The busy-server run: one row per 10 s window, then the totals. */
export const busySourceTable = (r: BusySourceResult | undefined) =>
  r
    ? `${table(BUSY_SOURCE, r.windows)}\n\nWhole run: latency p50 ${fixed(r.latencyP50Ms)} ms, worst window p95 ` +
      `${fixed(r.latencyP95Ms)} ms, max ${fixed(r.latencyMaxMs)} ms; ${r.framesShed} frames shed, ` +
      `${r.encodesShed} encodes shed, ${r.outputChanges} output-level changes.`
    : '(not run)';
