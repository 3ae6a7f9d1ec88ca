/**
 * Gives a viewer `viewerFps` of a channel's `channelFps` frames, spread evenly (an accumulator: 10 of 30 fps is
 * every third frame, 12 of 30 alternates gaps of 2 and 3). No frame is re-encoded: the viewer just gets fewer.
 */
export class FrameDecimator {
  readonly outputFps: number;
  private credit: number;

  constructor(
    private readonly channelFps: number,
    viewerFps: number | null,
  ) {
    this.outputFps = viewerFps === null ? channelFps : Math.min(viewerFps, channelFps);
    // Primed so the very first frame passes.
    this.credit = channelFps - this.outputFps;
  }

  /** Called once per channel frame: whether this viewer gets it. */
  take(): boolean {
    this.credit += this.outputFps;
    // The epsilon keeps float error from skipping a frame that exact arithmetic would pass.
    if (this.credit < this.channelFps - 1e-9) return false;
    this.credit -= this.channelFps;
    return true;
  }
}
