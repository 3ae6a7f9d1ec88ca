import type { UseLiveStreamResult } from '../../hooks/use-live-stream';
import { statusText } from './status-text';

/**
 * The selected stream ended and its recording is ready (the catalog says so when it is): it can be watched as its
 * replay, which a new `select` of the same id plays (PROTOCOL.md, "Recording").
 */
function replayReady(player: UseLiveStreamResult): boolean {
  if (player.offAir !== 'ended') return false;
  const video = player.catalog?.find((entry) => entry.id === player.videoId);
  return video?.status === 'ended' && video.recording?.state === 'ready';
}

/**
 * What covers the picture when there is no picture to watch: a spinner while connecting or buffering, the
 * error message (with a way to try again), the end of a stream (with its replay once the recording is ready; the
 * viewer chooses it rather than being moved on), and the button that lets sound through the autoplay policy.
 */
export function PlayerOverlay({ player }: { player: UseLiveStreamResult }) {
  const text = statusText(player);
  const videoId = player.videoId;
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
          {videoId !== null && replayReady(player) && (
            <button
              type="button"
              className="onair-button onair-button--text"
              data-action="replay"
              onClick={() => player.select(videoId)}
            >
              Watch the replay
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
