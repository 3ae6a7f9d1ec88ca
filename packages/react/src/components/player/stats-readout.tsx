import type { LiveStreamStats } from '../../client/state/snapshot';

export interface StatsReadoutProps {
  id: string;
  stats: LiveStreamStats;
  /** The rung's label ("480p · high"), when the server describes its rungs. */
  rungLabel?: string | null;
}

function dash(value: number | null, unit: string): string {
  return value === null ? '–' : `${value}${unit}`;
}

function qualityText(stats: LiveStreamStats, rungLabel: string | null): string {
  if (stats.level !== null) return `${stats.level} (level ${stats.rung ?? '?'})`;
  if (stats.rung === null) return '–';
  return rungLabel ? `${rungLabel} (rung ${stats.rung})` : `rung ${stats.rung} (q${stats.quality ?? '?'})`;
}

function audioText(stats: LiveStreamStats): string {
  if (stats.audioPath === 'none') return '–';
  const codec = stats.audioCodec ? ` · ${stats.audioCodec}` : '';
  const state = stats.audioState === 'silent' ? ' · silent' : '';
  return `${stats.audioPath}${codec}${state}`;
}

function droppedText(stats: LiveStreamStats): string {
  return stats.renderDroppedFrames > 0
    ? `${stats.droppedFrames} (${stats.renderDroppedFrames} by this device)`
    : String(stats.droppedFrames);
}

/** The numbers behind the picture, for viewers and for whoever tunes the server. */
export function StatsReadout({ id, stats, rungLabel = null }: StatsReadoutProps) {
  const rows: [string, string, string][] = [
    ['fps', 'Frames per second', String(stats.fps)],
    ['quality', 'Quality', qualityText(stats, rungLabel)],
    ['buffer', 'Buffer', `${stats.bufferMs} ms`],
    ['latency', 'Latency', dash(stats.latencyMs, ' ms')],
    ['behind-live', 'Behind live', dash(stats.liveDistanceMs, ' ms')],
    ['bitrate', 'Bitrate', `${stats.bitrateKbps} kbps`],
    ['dropped', 'Dropped frames', droppedText(stats)],
    ['max-fps', 'Frame rate limit', stats.maxFps === null ? 'none' : `${stats.maxFps} fps`],
    ['decode', 'Decode time', `${stats.decodeMs} ms`],
    ['audio', 'Audio', audioText(stats)],
    ['audio-gaps', 'Audio gaps', `${stats.audioGapMs} ms`],
    ['audio-delay', 'Audio delay', dash(stats.audioDelayMs, ' ms')],
    ['audio-behind-live', 'Audio behind live', dash(stats.audioDistanceMs, ' ms')],
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
