/**
 * How much longer each frame of a reduced rate stands than the channel's own frame: a viewer sent 5 of 30 fps
 * holds each frame 200 ms, not 33. A player counts this into its buffer (`feedback.bufferMs`), so a reduced rate
 * with no frame waiting between its frames does not read as starved; a full rate (or none yet) adds nothing.
 */
export function reducedRateExtraMs(channelFps: number, viewerFps: number): number {
  if (viewerFps <= 0 || viewerFps >= channelFps) return 0;
  return 1000 / viewerFps - 1000 / channelFps;
}
