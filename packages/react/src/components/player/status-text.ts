import type { LiveStreamSnapshot } from '../../client/state/snapshot';

/** A selected stream that is not on air (`stream-status`): not an error, the viewer is told why. */
const OFF_AIR_TEXT: Record<NonNullable<LiveStreamSnapshot['offAir']>, string> = {
  scheduled: 'Scheduled: this stream has not started yet',
  live: 'Waiting for the broadcast to start…',
  ended: 'This stream has ended',
  cancelled: 'This stream was cancelled',
  removed: 'This stream has ended',
};

/** What the overlay shows and the live region announces for a state; null when the video speaks for itself. */
export function statusText(
  snapshot: Pick<LiveStreamSnapshot, 'status' | 'error' | 'videoId'> &
    Partial<Pick<LiveStreamSnapshot, 'offAir'>>,
): string | null {
  if (snapshot.status === 'idle' && snapshot.offAir) return OFF_AIR_TEXT[snapshot.offAir];
  switch (snapshot.status) {
    case 'connecting':
      return 'Connecting…';
    case 'buffering':
      return 'Buffering…';
    case 'reconnecting':
      return 'Connection lost. Reconnecting…';
    case 'error':
      return snapshot.error ? `Error: ${snapshot.error.message}` : 'Error';
    case 'idle':
      return snapshot.videoId ? null : 'Choose a video';
    default:
      return null;
  }
}

/** The live region's sentence: the state, and whether the viewer paused. */
export function announcement(
  snapshot: Pick<LiveStreamSnapshot, 'status' | 'error' | 'videoId' | 'playing'> &
    Partial<Pick<LiveStreamSnapshot, 'offAir'>>,
) {
  if (snapshot.status === 'live') return snapshot.playing ? 'Live' : 'Paused';
  return statusText(snapshot) ?? '';
}
