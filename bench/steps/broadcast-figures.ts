/** The figures of the broadcast steps, apart from the browsers so they can be tested, and their tables. */
import { percentile, sortedCopy } from '../infra/statistics';
import { codeLatencyMs } from './time-code';

/** Glass to glass: the broadcaster's canvas drawn → the viewer's player drawing that frame. */
export interface BroadcastLatencyResult {
  /** 1: broadcast into and watched on one instance; 2: broadcast into A, watched on B (Redis between them). */
  instances: 1 | 2;
  /** The broadcaster's canvas, e.g. `1280x720`. */
  size: string;
  seconds: number;
  /** Frames whose code the viewer read, and player draws it could not read (guards or check wrong). */
  frames: number;
  unread: number;
  /** Frames read per second of the window: what the viewer drew. */
  fps: number;
  /** Frames the broadcaster's canvas drew in the window (the target rate is 30). */
  drawnFps: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  minMs: number;
  /** Go live clicked → the first frame read on the viewer. */
  firstFrameMs: number;
  /** The rung the viewer's player showed at the end (its stats readout), e.g. "720p". */
  level: string;
}

/** `[Unix ms the viewer drew it, code]` per frame read, into latency figures (`seconds` is the window's length). */
export function latencyFigures(
  frames: readonly (readonly [number, number])[],
  seconds: number,
): Pick<BroadcastLatencyResult, 'frames' | 'fps' | 'p50Ms' | 'p95Ms' | 'maxMs' | 'minMs'> {
  const latencies = sortedCopy(frames.map(([shownAt, code]) => codeLatencyMs(shownAt, code)));
  return {
    frames: latencies.length,
    fps: seconds > 0 ? latencies.length / seconds : Number.NaN,
    p50Ms: Math.round(percentile(latencies, 50)),
    p95Ms: Math.round(percentile(latencies, 95)),
    maxMs: Math.round(latencies.at(-1) ?? Number.NaN),
    minMs: Math.round(latencies[0] ?? Number.NaN),
  };
}

/** One broadcast of the fan-out: its viewers' fps and what the server shed for it. */
export interface BroadcastFanOutStream {
  id: string;
  viewers: number;
  /** Viewers that got at least one frame. */
  playing: number;
  fpsMin: number;
  fpsP10: number;
  fpsMedian: number;
  /** Viewers under the target 25 fps. */
  under25: number;
  /** The channel's input: frames the decoder gave per second of the window (what the broadcaster delivered). */
  inputFps: number;
  /** Over the window, from `live.stats()`: frames shed late by the pacer, JPEG encodes shed late. */
  framesShed: number;
  encodesShed: number;
  /** Frames the server skipped for this stream's viewers (ack window or buffer full), over the window. */
  framesSkipped: number;
  /** Output level changes over the window (a smaller size or rate taken when shedding persists), and the last. */
  outputChanges: number;
  outputLevel: string;
  rung: string;
  delayP50Ms: number;
  delayP99Ms: number;
}

export interface BroadcastFanOutResult {
  seconds: number;
  /** Each broadcaster's canvas, e.g. `1280x720`. */
  size: string;
  /**
   * Null: a browser broadcast each stream during the window. Else each stream was fed one browser broadcast
   * recorded alone before: `seconds` of it, the `frames` it holds (`fps` over its span), what its canvas drew.
   */
  recorded: { seconds: number; frames: number; fps: number; canvasFps: number } | null;
  streams: BroadcastFanOutStream[];
  serverCpuPercent: number;
  ffmpegCpuPercent: number;
  /** This process (the viewers) and Chromium's processes (the broadcasters), % of one core. */
  fleetCpuPercent: number;
  chromiumCpuPercent: number;
  machineCpuPercent: number;
}

/** Per-viewer fps of one stream (any order) into min, p10, median and the count under 25 fps. */
export function fpsFigures(
  fpsPerViewer: readonly number[],
): Pick<BroadcastFanOutStream, 'fpsMin' | 'fpsP10' | 'fpsMedian' | 'under25'> {
  const sorted = sortedCopy(fpsPerViewer);
  return {
    fpsMin: sorted[0] ?? Number.NaN,
    fpsP10: percentile(sorted, 10),
    fpsMedian: percentile(sorted, 50),
    under25: sorted.filter((fps) => fps < 25).length,
  };
}

const fixed = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '–');

function markdownTable(headings: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(headings), line(headings.map(() => '---')), ...rows.map(line)].join('\n');
}

export function broadcastLatencyTable(results: readonly BroadcastLatencyResult[]): string {
  return markdownTable(
    [
      'path',
      'canvas',
      'seconds',
      'frames read (unread)',
      'viewer fps',
      'canvas fps',
      'p50 ms',
      'p95 ms',
      'max ms',
      'min ms',
      'first frame',
      'rung',
    ],
    results.map((result) => [
      result.instances === 1 ? 'one instance' : 'A → Redis → B',
      result.size,
      fixed(result.seconds),
      `${result.frames} (${result.unread})`,
      fixed(result.fps, 1),
      fixed(result.drawnFps, 1),
      fixed(result.p50Ms),
      fixed(result.p95Ms),
      fixed(result.maxMs),
      fixed(result.minMs),
      `${fixed(result.firstFrameMs / 1000, 1)} s`,
      result.level,
    ]),
  );
}

export function broadcastFanOutTable(result: BroadcastFanOutResult): string {
  const streams = markdownTable(
    [
      'stream',
      'viewers (playing)',
      'fps min',
      'fps p10',
      'fps median',
      'under 25 fps',
      'input fps',
      'rung',
      'frames shed',
      'encodes shed',
      'skipped',
      'output level (changes)',
      'delay p50/p99',
    ],
    result.streams.map((stream) => [
      stream.id,
      `${stream.viewers} (${stream.playing})`,
      fixed(stream.fpsMin, 1),
      fixed(stream.fpsP10, 1),
      fixed(stream.fpsMedian, 1),
      String(stream.under25),
      fixed(stream.inputFps, 1),
      stream.rung,
      String(stream.framesShed),
      String(stream.encodesShed),
      String(stream.framesSkipped),
      `${stream.outputLevel} (${stream.outputChanges})`,
      `${fixed(stream.delayP50Ms)} / ${fixed(stream.delayP99Ms)} ms`,
    ]),
  );
  const source = result.recorded
    ? `Each stream fed one browser broadcast recorded alone before (${fixed(result.recorded.seconds)} s, ` +
      `${result.recorded.frames} frames: ${fixed(result.recorded.fps, 1)} fps; its canvas drew ` +
      `${fixed(result.recorded.canvasFps, 1)} fps), at the pace its chunks left the page; no browser ran meanwhile. `
    : 'A Chromium page broadcast each stream on the same machine. ';
  const cpu =
    `${source}Broadcasters' canvas ${result.size}. CPU over the ${fixed(result.seconds)} s window, % of one core: server ${fixed(result.serverCpuPercent)}, ` +
    `its ffmpeg ${fixed(result.ffmpegCpuPercent)}, viewers ${fixed(result.fleetCpuPercent)}, ` +
    `Chromium (broadcasters) ${fixed(result.chromiumCpuPercent)}, machine ${fixed(result.machineCpuPercent)}.`;
  return `${streams}\n\n${cpu}`;
}
