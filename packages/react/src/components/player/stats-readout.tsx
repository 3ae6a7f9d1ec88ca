import type { LiveStreamStats } from '../../client/state/snapshot';

export interface StatsReadoutProps {
  id: string;
  stats: LiveStreamStats;
}

function dash(value: number | null, unit: string): string {
  return value === null ? '–' : `${value}${unit}`;
}

function qualityText(stats: LiveStreamStats): string {
  if (stats.level !== null) return `${stats.level} (level ${stats.rung ?? '?'})`;
  return stats.rung === null ? '–' : `rung ${stats.rung} (q${stats.quality ?? '?'})`;
}

/** The numbers behind the picture, for viewers and for whoever tunes the server. */
export function StatsReadout({ id, stats }: StatsReadoutProps) {
  const rows: [string, string, string][] = [
    ['fps', 'Frames per second', String(stats.fps)],
    ['quality', 'Quality', qualityText(stats)],
    ['buffer', 'Buffer', `${stats.bufferMs} ms`],
    ['latency', 'Latency', dash(stats.latencyMs, ' ms')],
    ['bitrate', 'Bitrate', `${stats.bitrateKbps} kbps`],
    ['dropped', 'Dropped frames', String(stats.droppedFrames)],
    ['decode', 'Decode time', `${stats.decodeMs} ms`],
  ];
  return (
    <dl id={id} className="onair-player__stats">
      {rows.map(([key, label, value]) => (
        <div key={key} className="onair-player__stat" data-stat={key}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
