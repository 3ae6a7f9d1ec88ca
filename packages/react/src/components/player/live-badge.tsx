import type { UseLiveStreamResult } from '../../hooks/use-live-stream';

/** "−3 s": whole seconds behind live, with a real minus sign. */
export function behindLiveText(distanceMs: number): string {
  return `\u2212${Math.max(1, Math.round(distanceMs / 1000))} s`;
}

/**
 * The LIVE badge. At the live edge it says LIVE (lit while the status is `live`); farther behind than the live
 * threshold it says how far ("−3 s") and is a button that jumps back to live.
 */
export function LiveBadge({ player }: { player: UseLiveStreamResult }) {
  const { liveDistanceMs, atLiveEdge } = player.stats;
  if (atLiveEdge || liveDistanceMs === null) {
    return (
      <span className="onair-player__live-badge" data-live={player.status === 'live' ? '' : undefined}>
        LIVE
      </span>
    );
  }
  const seconds = Math.max(1, Math.round(liveDistanceMs / 1000));
  return (
    <button
      type="button"
      className="onair-player__live-badge"
      data-behind={seconds}
      data-control="live"
      onClick={player.jumpToLive}
      aria-label={`${seconds} s behind live: jump to live`}
    >
      {behindLiveText(liveDistanceMs)}
    </button>
  );
}

/**
 * Says the stream has sound but none plays (a stall, audio that could not start), unless the viewer muted or
 * paused it, or the autoplay policy holds it (the overlay offers its own button then).
 */
export function NoSoundIndicator({ player }: { player: UseLiveStreamResult }) {
  const { stats, muted, playing, audioBlocked } = player;
  if (stats.audioState !== 'silent' || muted || !playing || audioBlocked) return null;
  return (
    <span className="onair-player__no-sound" data-no-sound="">
      No sound
    </span>
  );
}
