import type { ChannelRung } from './rung-plan';

/** Weight of the newest frame in a rung's mean size: about the last two seconds of a 30 fps channel. */
const SIZE_SMOOTHING = 0.03;

/**
 * What each rung of one channel costs, in kbit/s at the channel's frame rate. A rung that has been encoded is
 * measured (a moving mean of its JPEG sizes); one that has not is the model's figure scaled by how far the model
 * was off on this channel's measured rungs (content matters more than the model: a static slide costs a tenth
 * of a noisy camera). Measurements are kept when a rung goes idle: they are still the best guess.
 */
export class RungBitrates {
  private readonly meanBytes: (number | null)[];

  constructor(
    private readonly rungs: readonly ChannelRung[],
    private readonly fps: number,
  ) {
    this.meanBytes = rungs.map(() => null);
  }

  /** One frame of `rung` was encoded to `bytes` bytes. */
  record(rung: number, bytes: number): void {
    const mean = this.meanBytes[rung];
    if (mean === undefined) return;
    this.meanBytes[rung] = mean === null ? bytes : mean + SIZE_SMOOTHING * (bytes - mean);
  }

  /** kbit/s of every rung, lowest rung first. */
  kbps(): number[] {
    const measured = this.meanBytes.map((bytes) => (bytes === null ? null : (bytes * 8 * this.fps) / 1000));
    const ratios = measured.flatMap((kbps, rung) =>
      kbps === null ? [] : [kbps / Math.max(1e-9, this.rungs[rung]!.modelKbps)],
    );
    const correction = ratios.length === 0 ? 1 : ratios.reduce((sum, r) => sum + r, 0) / ratios.length;
    return this.rungs.map((rung, index) => measured[index] ?? rung.modelKbps * correction);
  }
}
