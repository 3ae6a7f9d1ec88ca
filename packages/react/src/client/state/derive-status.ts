import type { PlaybackState } from '../playout/playout';
import type { LiveStreamStatus } from './snapshot';

export interface StatusInputs {
  /** `connect` was called and `close` was not. */
  started: boolean;
  /** The client stopped trying: a fatal refusal, or reconnecting gave up. */
  gaveUp: boolean;
  /** The server welcomed us on the current connection. */
  connected: boolean;
  /** Reconnect attempts made since the connection was last healthy. */
  reconnectAttempts: number;
  /** The current video cannot play (unknown video, channel failed). */
  streamFailed: boolean;
  hasVideo: boolean;
  /** The server answered `select` with `stream`. */
  streamActive: boolean;
  playback: PlaybackState;
}

/** The one place the player's `data-state` is decided, in order of precedence. */
export function deriveStatus(inputs: StatusInputs): LiveStreamStatus {
  if (inputs.gaveUp) return 'error';
  if (!inputs.started) return 'idle';
  if (!inputs.connected) return inputs.reconnectAttempts > 0 ? 'reconnecting' : 'connecting';
  if (inputs.streamFailed) return 'error';
  if (!inputs.hasVideo) return 'idle';
  if (!inputs.streamActive || inputs.playback === 'waiting') return 'connecting';
  return inputs.playback === 'starved' ? 'buffering' : 'live';
}
