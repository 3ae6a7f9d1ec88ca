/** The figures of the soak step, apart from the sockets so they can be tested: slopes, changes, its table. */

export interface SoakSample {
  /** Seconds since the soak started (every viewer connected, chat on). */
  atSec: number;
  rssMb: number;
  heapUsedMb: number;
  /** Memory of Buffers and other objects outside the V8 heap (JPEG frames live here). */
  externalMb: number;
  /** Sockets the server holds (`stats().viewers`: the fleet, the chat sender and the listener). */
  viewers: number;
}

/** What the fleet saw in one window of the soak. */
export interface SoakWindow {
  fromSec: number;
  toSec: number;
  fpsMedian: number;
  fpsP5: number;
  delayP50Ms: number;
  delayP99Ms: number;
}

export interface SoakResult {
  viewers: number;
  seconds: number;
  chatPerSecond: number;
  /** Samples before this are the warm-up, left out of the slopes (the first minute, or half a shorter run). */
  warmUpSec: number;
  samples: SoakSample[];
  /** Least-squares slopes of the samples after the warm-up, MB per minute. */
  rssSlopeMbPerMin: number;
  heapSlopeMbPerMin: number;
  externalSlopeMbPerMin: number;
  first: SoakWindow;
  last: SoakWindow;
  chatSent: number;
  /** Chat messages a room-only listener received, % of those sent. */
  chatDeliveredPercent: number;
  /** Viewers that got at least one frame, and those the server closed during the soak. */
  playing: number;
  closedByServer: number;
  serverCpuPercent: number;
  errors: Record<string, number>;
}

/** Slope of y over x by least squares; NaN with fewer than two distinct x. */
export function leastSquaresSlope(points: readonly { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return Number.NaN;
  const meanX = points.reduce((sum, point) => sum + point.x, 0) / n;
  const meanY = points.reduce((sum, point) => sum + point.y, 0) / n;
  let covariance = 0;
  let variance = 0;
  for (const { x, y } of points) {
    covariance += (x - meanX) * (y - meanY);
    variance += (x - meanX) ** 2;
  }
  return variance === 0 ? Number.NaN : covariance / variance;
}

/** MB per minute of one memory figure over the samples taken at or after `warmUpSec`. */
export function slopeMbPerMinute(
  samples: readonly SoakSample[],
  warmUpSec: number,
  figure: (sample: SoakSample) => number,
): number {
  const after = samples.filter((sample) => sample.atSec >= warmUpSec);
  return leastSquaresSlope(after.map((sample) => ({ x: sample.atSec / 60, y: figure(sample) })));
}

/** The warm-up and the two compared windows, whole seconds: a minute each, or half of a run under two minutes. */
export function soakWindowSec(seconds: number): number {
  return Math.floor(Math.min(60, seconds / 2));
}

/** Change from `first` to `last`, % of `first`. */
export function changePercent(first: number, last: number): number {
  return first === 0 ? Number.NaN : ((last - first) / first) * 100;
}

const fixed = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
const signed = (value: number, digits = 1) =>
  Number.isFinite(value) ? `${value >= 0 ? '+' : ''}${value.toFixed(digits)}` : '–';

/** Two Markdown tables: the summary (slopes, first vs last window), then every memory sample. */
export function soakTables(result: SoakResult | undefined): string {
  if (!result) return '(soak did not run)';
  const { first, last } = result;
  const rss = result.samples.map((sample) => sample.rssMb);
  const summary = [
    '| figure | value |',
    '| --- | --- |',
    `| viewers (playing, closed by server) | ${result.viewers} (${result.playing}, ${result.closedByServer}) |`,
    `| chat | ${result.chatPerSecond}/s, ${result.chatSent} sent, ${fixed(result.chatDeliveredPercent, 1)} % delivered |`,
    `| RSS slope after ${fixed(result.warmUpSec)} s (target < 1) | ${signed(result.rssSlopeMbPerMin, 2)} MB/min |`,
    `| heap slope / external slope | ${signed(result.heapSlopeMbPerMin, 2)} / ${signed(result.externalSlopeMbPerMin, 2)} MB/min |`,
    `| RSS first → last sample, peak | ${fixed(rss[0] ?? Number.NaN)} → ${fixed(rss.at(-1) ?? Number.NaN)} MB, ${fixed(Math.max(...rss))} MB |`,
    `| server CPU % | ${fixed(result.serverCpuPercent)} |`,
    `| fps/viewer median (p5), ${fixed(first.fromSec)}–${fixed(first.toSec)} s → ${fixed(last.fromSec)}–${fixed(last.toSec)} s (target within 5 %) | ${fixed(first.fpsMedian, 1)} (${fixed(first.fpsP5, 1)}) → ${fixed(last.fpsMedian, 1)} (${fixed(last.fpsP5, 1)}), ${signed(changePercent(first.fpsMedian, last.fpsMedian))} % |`,
    `| delay p50 / p99 ms, first → last window (target within 5 %) | ${fixed(first.delayP50Ms)} / ${fixed(first.delayP99Ms)} → ${fixed(last.delayP50Ms)} / ${fixed(last.delayP99Ms)}, p99 ${signed(changePercent(first.delayP99Ms, last.delayP99Ms))} % |`,
    ...(Object.keys(result.errors).length ? [`| errors | ${JSON.stringify(result.errors)} |`] : []),
  ];
  const samples = [
    '| s | RSS MB | heap used MB | external MB | sockets |',
    '| --- | --- | --- | --- | --- |',
    ...result.samples.map(
      (sample) =>
        `| ${fixed(sample.atSec)} | ${fixed(sample.rssMb, 1)} | ${fixed(sample.heapUsedMb, 1)} | ` +
        `${fixed(sample.externalMb, 1)} | ${sample.viewers} |`,
    ),
  ];
  return [...summary, '', ...samples].join('\n');
}
