import type { FeedbackMessage } from '@onair/protocol';

/** A player's `feedback` report with a buffer `bufferLevel` full (1: healthy, 300 ms), no drops, quick decodes. */
export function playerFeedback(bufferLevel = 1): FeedbackMessage {
  return {
    type: 'feedback',
    bufferLevel,
    bufferMs: bufferLevel * 300,
    networkQuality: 'good',
    timestamp: performance.now(),
    droppedFrames: 0,
    lateFrames: 0,
    decodeMs: 2,
  };
}
