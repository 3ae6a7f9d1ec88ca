import { useEffect, useRef } from 'react';
import type { UseLiveStreamResult } from '../../hooks/use-live-stream';

/** "−3 s": whole seconds behind live, with a real minus sign. */
export function behindLiveText(distanceMs: number): string {
  return `\u2212${Math.max(1, Math.round(distanceMs / 1000))} s`;
}

/**
 * The LIVE badge. At the live edge it says LIVE (lit while the status is `live`); farther behind than the live
 * threshold it says how far ("−3 s") and is a button that jumps back to live.
 *
 * The button goes once the player is back at live (a keyboard user pressed it, or the player caught up). Focus
 * that was on it moves to the badge (focusable from script only), so the next Tab goes on to the controls after
 * it instead of starting again from the top of the page.
 */
export function LiveBadge({ player }: { player: UseLiveStreamResult }) {
  const { liveDistanceMs, atLiveEdge } = player.stats;
  const atLive = atLiveEdge || liveDistanceMs === null;
  const badge = useRef<HTMLSpanElement>(null);
  // Set and cleared by the button's own focus events; its removal reaches no handler, so the flag outlives it.
  const buttonFocused = useRef(false);
  useEffect(() => {
    if (!atLive || !buttonFocused.current) return;
    buttonFocused.current = false;
    badge.current?.focus();
  }, [atLive]);
  if (atLive) {
    return (
      <span
        ref={badge}
        tabIndex={-1}
        className="onair-player__live-badge"
        data-live={player.status === 'live' ? '' : undefined}
      >
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
      onFocus={() => {
        buttonFocused.current = true;
      }}
      onBlur={() => {
        buttonFocused.current = false;
      }}
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
