import type { UseLiveStreamResult } from '../../hooks/use-live-stream';
import { statusText } from './status-text';

/**
 * What covers the picture when there is no picture to watch: a spinner while connecting or buffering, the
 * error message (with a way to try again), and the button that lets sound through the autoplay policy.
 */
export function PlayerOverlay({ player }: { player: UseLiveStreamResult }) {
  const text = statusText(player);
  const waiting =
    player.status === 'connecting' || player.status === 'buffering' || player.status === 'reconnecting';
  return (
    <>
      {text !== null && (
        <div className="onair-player__overlay" data-overlay={player.status}>
          {waiting && <span className="onair-spinner" aria-hidden="true" />}
          <p className="onair-player__message">{text}</p>
          {player.status === 'error' && (
            <button type="button" className="onair-button onair-button--text" onClick={player.reconnect}>
              Try again
            </button>
          )}
        </div>
      )}
      {player.audioBlocked && player.status !== 'error' && (
        <button
          type="button"
          className="onair-button onair-player__unblock"
          onClick={() => void player.enableAudio()}
        >
          Click to enable sound
        </button>
      )}
    </>
  );
}
