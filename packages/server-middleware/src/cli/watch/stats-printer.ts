import type { WatchSample } from './interval-stats';

/** One JSON object per line, for `jq` and log collectors. */
export function formatSampleJson(sample: WatchSample): string {
  return JSON.stringify(sample);
}

/** One aligned line per second for people: `  3s  fps 29.9  rung 2 q70 auto  latency 41 ms …`. */
export function formatSampleText(sample: WatchSample): string {
  const latency = sample.latencyMs
    ? `latency ${Math.round(sample.latencyMs.mean)} ms (${Math.round(sample.latencyMs.min)}–${Math.round(sample.latencyMs.max)})`
    : 'latency –';
  const quality = sample.quality === null ? '' : ` q${sample.quality}`;
  return [
    `${sample.elapsedS.toFixed(0).padStart(4)}s`,
    `fps ${sample.fps.toFixed(1).padStart(5)}`,
    `rung ${sample.rung}${quality} ${sample.mode}`,
    latency.padEnd(28),
    `${Math.round(sample.kbps).toString().padStart(6)} kbit/s`,
    `buffer ${sample.bufferMs.toString().padStart(4)} ms`,
    `dropped ${sample.dropped}`,
    `late ${sample.late}`,
  ].join('  ');
}
