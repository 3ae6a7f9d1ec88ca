import type { RungInfo } from '@onair/protocol';
import { modelKbps } from './jpeg-bitrate-model';

/** One configured rung: a picture height (null: the channel's own) and a JPEG quality. */
export interface RungSpec {
  height: number | null;
  quality: number;
}

/** The picture a channel's rungs are cut from. */
export interface LadderSource {
  width: number;
  height: number;
  fps: number;
}

/** A rung of one channel: its size, quality and label, and the model's bitrate before any measurement. */
export type ChannelRung = Omit<RungInfo, 'kbps'> & { modelKbps: number };

/** Even, like the channel's own size (JPEG 4:2:0), aspect ratio kept. */
function scaledWidth(source: LadderSource, height: number): number {
  return Math.max(2, Math.round((source.width * height) / source.height / 2) * 2);
}

/**
 * Names for people, not JPEG numbers: "480p", then " · high", " · best" for the higher qualities sharing that
 * height; beyond three, the quality itself (" · q70"). `qualities` ascending.
 */
function labelsFor(height: number, qualities: readonly number[]): string[] {
  const base = `${height}p`;
  if (qualities.length <= 3) return [base, `${base} · high`, `${base} · best`].slice(0, qualities.length);
  return qualities.map((quality, index) => (index === 0 ? base : `${base} · q${quality}`));
}

/**
 * A channel's ladder from the configured rungs: heights above the source are capped to it (nothing is scaled up),
 * rungs that end up identical are merged, and the rest are ordered by the bitrate they need, lowest first.
 */
export function planRungs(specs: readonly RungSpec[], source: LadderSource): ChannelRung[] {
  const seen = new Set<string>();
  const rungs: ChannelRung[] = [];
  for (const spec of specs) {
    const height = spec.height === null ? source.height : Math.min(spec.height, source.height);
    const key = `${height}:${spec.quality}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const width = height === source.height ? source.width : scaledWidth(source, height);
    rungs.push({
      width,
      height,
      quality: spec.quality,
      label: '',
      modelKbps: modelKbps(width, height, spec.quality, source.fps),
    });
  }
  rungs.sort((a, b) => a.modelKbps - b.modelKbps || a.height - b.height || a.quality - b.quality);
  const byHeight = new Map<number, ChannelRung[]>();
  for (const rung of rungs) byHeight.set(rung.height, [...(byHeight.get(rung.height) ?? []), rung]);
  for (const [height, same] of byHeight) {
    same.sort((a, b) => a.quality - b.quality);
    const labels = labelsFor(
      height,
      same.map((rung) => rung.quality),
    );
    same.forEach((rung, index) => {
      rung.label = labels[index]!;
    });
  }
  return rungs;
}
