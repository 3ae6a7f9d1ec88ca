import type { LiveStreamSnapshot } from '../../client/state/snapshot';

/** The options of a quality menu, and the one selected, as `<select>` values. */
export interface QualityChoices {
  /** The selected option: 'auto' or an index. */
  value: string;
  /** What the Auto option says: "Auto (480p)" with the rung playing now over WebSocket, "Auto" otherwise. */
  autoLabel: string;
  /** Every choice but Auto, which a menu offers first: the value for `setQuality(Number(value))`, and its label. */
  options: { value: string; label: string }[];
}

/**
 * The quality menu of `<LiveStreamPlayer>`, for a host that builds its own control bar: the server's rungs by
 * size over WebSocket ("240p", "480p · high", from `stream.rungs`; the JPEG quality "Q70" from a server that sends
 * no rungs), the renditions over HLS ("480p"). Pass the snapshot (or `useLiveStream()`'s result).
 */
export function qualityChoices(
  player: Pick<
    LiveStreamSnapshot,
    'transport' | 'hlsLevels' | 'hlsLevel' | 'ladder' | 'rung' | 'qualityMode' | 'stream'
  >,
): QualityChoices {
  if (player.transport === 'hls') {
    return {
      value: player.hlsLevel < 0 ? 'auto' : String(player.hlsLevel),
      // hls.js names its level in the stats readout; the menu keeps "Auto" as the HLS players do.
      autoLabel: 'Auto',
      options: player.hlsLevels.map((level) => ({ value: String(level.index), label: level.label })),
    };
  }
  const rungs = player.stream?.rungs ?? [];
  const labels =
    rungs.length > 0 ? rungs.map((rung) => rung.label) : player.ladder.map((quality) => `Q${quality}`);
  return {
    value: player.qualityMode === 'auto' || player.rung === null ? 'auto' : String(player.rung),
    autoLabel: autoLabel(player.rung === null ? null : (labels[player.rung] ?? null)),
    options: labels.map((label, index) => ({ value: String(index), label })),
  };
}

function autoLabel(current: string | null): string {
  return current ? `Auto (${current})` : 'Auto';
}
