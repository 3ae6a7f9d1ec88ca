import type { LiveStreamSnapshot } from '../../client/state/snapshot';

/** The options of a quality menu, and the one selected, as `<select>` values. */
export interface QualityChoices {
  /** The selected option: 'auto' or an index. */
  value: string;
  /** Every choice but Auto, which a menu offers first: the value for `setQuality(Number(value))`, and its label. */
  options: { value: string; label: string }[];
}

/**
 * The quality menu of `<LiveStreamPlayer>`, for a host that builds its own control bar: the JPEG ladder over
 * WebSocket ("Q70"), the renditions over HLS ("480p"). Pass the snapshot (or `useLiveStream()`'s result).
 */
export function qualityChoices(
  player: Pick<
    LiveStreamSnapshot,
    'transport' | 'hlsLevels' | 'hlsLevel' | 'ladder' | 'rung' | 'qualityMode'
  >,
): QualityChoices {
  if (player.transport === 'hls') {
    return {
      value: player.hlsLevel < 0 ? 'auto' : String(player.hlsLevel),
      options: player.hlsLevels.map((level) => ({ value: String(level.index), label: level.label })),
    };
  }
  return {
    value: player.qualityMode === 'auto' || player.rung === null ? 'auto' : String(player.rung),
    options: player.ladder.map((quality, index) => ({ value: String(index), label: `Q${quality}` })),
  };
}
