import type { LiveStreamSnapshot } from '../../client/state/snapshot';

/** What the overlay shows and the live region announces for a state; null when the video speaks for itself. */
export function statusText(
  snapshot: Pick<LiveStreamSnapshot, 'status' | 'error' | 'videoId'>,
): string | null {
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
export function announcement(snapshot: Pick<LiveStreamSnapshot, 'status' | 'error' | 'videoId' | 'playing'>) {
  if (snapshot.status === 'live') return snapshot.playing ? 'Live' : 'Paused';
  return statusText(snapshot) ?? '';
}
