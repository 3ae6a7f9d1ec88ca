import type { FeedbackMessage, MediaMessage, ViewerLimitsMessage } from '@onair/protocol';
import type { StreamInfo } from '../state/snapshot';

/** What the session measured of the socket a stream comes over. */
export interface StreamLink {
  /** From sending `hello` to its `welcome`, ms; null when not measured. */
  roundTripMs: number | null;
}

/**
 * Where the protocol session delivers the picture and sound the socket carries: the WebSocket playback, while it
 * plays. With no sink the session selects with `media: false` (the socket carries the room only).
 */
export interface MediaSink {
  /** The server answered `select` with `stream`: play it, on a link of that round trip (null: not measured). */
  startStream(stream: StreamInfo, link: StreamLink): void;
  /** No stream any more (a switch, a failed channel, a lost connection); the last frame may stay. */
  stopStream(): void;
  /** Size of every media message, decodable or not, for the bitrate. */
  receiveBytes(byteLength: number): void;
  /** Media of the current stream (the session has acked the video already). */
  receiveVideo(media: MediaMessage): void;
  receiveAudio(media: MediaMessage): void;
  /**
   * A tick of the feedback cadence `welcome` set: the report to send, or null when there is nothing to report
   * (no stream, or paused). Called at every tick, so the sink can refresh what it measures with it.
   */
  feedbackTick(now: number): FeedbackMessage | null;
  /** After each tick: the `viewer-limits` to send (this player's CPU limit changed), or null. */
  takeViewerLimits?(): ViewerLimitsMessage | null;
}
