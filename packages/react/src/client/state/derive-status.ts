import type { LiveStreamError, LiveStreamStatus } from './snapshot';

// The one place the player's `data-state` is decided: for the WebSocket playback from the socket and the playout,
// for the HLS playback from the playlist, hls.js's recovery and the `<video>`.

/** What the playout reports: no frame shown yet for this stream, frames keep coming, or the buffer ran dry. */
export type PlayoutState = 'waiting' | 'playing' | 'starved';

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
  /** The server answered with `stream-status`: the video is not on air (scheduled, ended); absent means false. */
  offAir?: boolean;
  playout: PlayoutState;
}

/** What the protocol session knows of its socket and stream: the status inputs beside the playout's, and its error. */
export interface LinkState extends Omit<StatusInputs, 'playout'> {
  error: LiveStreamError | null;
}

/** The WebSocket playback's status, in order of precedence. */
export function deriveStatus(inputs: StatusInputs): LiveStreamStatus {
  if (inputs.gaveUp) return 'error';
  if (!inputs.started) return 'idle';
  if (!inputs.connected) return inputs.reconnectAttempts > 0 ? 'reconnecting' : 'connecting';
  if (inputs.streamFailed) return 'error';
  if (!inputs.hasVideo || inputs.offAir) return 'idle';
  if (!inputs.streamActive || inputs.playout === 'waiting') return 'connecting';
  return inputs.playout === 'starved' ? 'buffering' : 'live';
}

export interface HlsStatusInputs {
  /** Nothing can play: found before playback (no catalog, a video without HLS), or playback gave up. */
  failed: boolean;
  /** A playlist to play. */
  hasSource: boolean;
  /** Without a playlist, the catalog to look it up in has not arrived yet. */
  waitingForCatalog: boolean;
  /** What recovery from a fatal error is fixing: the network (reconnecting) or the decoder (buffering). */
  recovering: 'network' | 'media' | null;
  /** The video has played since this playlist was loaded. */
  playedOnce: boolean;
  paused: boolean;
  /** The `<video>` said `waiting` and has not played since. */
  waiting: boolean;
}

/** The HLS playback's status, in order of precedence. A paused live player still says live. */
export function deriveHlsStatus(inputs: HlsStatusInputs): LiveStreamStatus {
  if (inputs.failed) return 'error';
  if (!inputs.hasSource) return inputs.waitingForCatalog ? 'connecting' : 'idle';
  if (inputs.recovering === 'network') return 'reconnecting';
  if (inputs.recovering === 'media') return 'buffering';
  if (!inputs.playedOnce) return 'connecting';
  if (inputs.paused) return 'live';
  return inputs.waiting ? 'buffering' : 'live';
}
