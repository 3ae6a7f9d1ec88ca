import type { FeedbackMessage } from '@onair/protocol';

export type NetworkQuality = FeedbackMessage['networkQuality'];

export interface QualitySample {
  bufferLevel: number;
  droppedFrames: number;
  lateFrames: number;
}

/**
 * The client's own verdict on its network, from the last few reports (oldest first). Poor: the buffer is
 * nearly empty, or frames are lost in numbers. Fair: the buffer is under half its target, anything was dropped
 * or late, or the buffer has been falling over the reports seen. Good otherwise. It goes out in each `feedback`
 * (the protocol requires the field) as a one-word summary, with the trend a single report cannot show, for
 * whoever reads the reports; the server's rung controller does not read it, it decides from the raw numbers.
 */
export function estimateNetworkQuality(history: readonly QualitySample[]): NetworkQuality {
  const latest = history[history.length - 1];
  if (!latest) return 'unknown';
  const lost = latest.droppedFrames + latest.lateFrames;
  if (latest.bufferLevel < 0.1 || lost >= 5) return 'poor';
  const oldest = history[0]!;
  const falling = history.length >= 3 && oldest.bufferLevel - latest.bufferLevel > 0.3;
  if (latest.bufferLevel < 0.5 || lost > 0 || falling) return 'fair';
  return 'good';
}
