import type { FanOutResult } from './fan-out-step';
import type { StalledResult } from './stalled-step';

const fixed = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '–');

export function fanOutTable(results: readonly FanOutResult[]): string {
  const header =
    '| viewers | playing | fps/viewer median | fps/viewer p5 | server CPU % | server RSS MB | ffmpeg procs | ' +
    'ffmpeg CPU % | fleet CPU % | delay p50 ms | delay p99 ms | first frame median ms | first frame p95 ms | ' +
    'frame KB |';
  const rule = `|${header
    .split('|')
    .slice(1, -1)
    .map(() => '---')
    .join('|')}|`;
  const rows = results.map(
    (r) =>
      `| ${r.viewers} | ${r.playing} | ${fixed(r.fpsMedian, 1)} | ${fixed(r.fpsP5, 1)} | ${fixed(r.serverCpuPercent)} | ` +
      `${fixed(r.serverRssMb)} | ${r.ffmpegProcesses} | ${fixed(r.ffmpegCpuPercent)} | ${fixed(r.fleetCpuPercent)} | ` +
      `${fixed(r.delayP50Ms)} | ${fixed(r.delayP99Ms)} | ${fixed(r.timeToFirstFrameMedianMs)} | ` +
      `${fixed(r.timeToFirstFrameP95Ms)} | ${fixed(r.meanFrameKb, 1)} |`,
  );
  return [header, rule, ...rows].join('\n');
}

export function stalledTable(result: StalledResult): string {
  return [
    '| stalled viewers | stall s | server RSS before → after (peak) MB | RSS growth per stalled viewer KB | ' +
      'ack window (frames, KB) | closed by server | healthy viewer fps, delay p99 ms |',
    '|---|---|---|---|---|---|---|',
    `| ${result.stalledViewers} | ${result.stallSeconds} | ${fixed(result.rssBeforeMb)} → ${fixed(result.rssAfterMb)} ` +
      `(${fixed(result.rssPeakMb)}) | ${fixed(result.rssGrowthPerStalledViewerKb)} | ` +
      `${result.ackWindowFrames}, ${fixed(result.ackWindowKb)} | ${result.stalledClosedByServer} | ` +
      `${fixed(result.healthyViewerFps, 1)}, ${fixed(result.healthyViewerDelayP99Ms)} |`,
  ].join('\n');
}
