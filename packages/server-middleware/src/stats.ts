import type { AudioCodec } from '@onair/protocol';
import type { OpusTrackStats } from './audio/opus-track';
import type { RungStats } from './ladder/frame-ladder';
import type { RunState } from './lifecycle/on-demand-run';

export type { OpusTrackStats, RungStats };

/** `probing`: starting, while a background probe is still reading the input's format. */
export type ChannelState = RunState | 'probing';

export type HlsPackagerState = RunState;

/** One channel (one video): its decoder and its ladder. */
export interface ChannelStats {
  id: string;
  state: ChannelState;
  viewers: number;
  /** Rungs being encoded now (those with at least one viewer). */
  activeRungs: number[];
  /** Number of rung encoders running: `activeRungs.length`. */
  encoders: number;
  /** JPEG encodes running now, all rungs together. */
  encodesInFlight: number;
  /** Raw frames the decoder has delivered, all runs together. */
  framesIn: number;
  audioChunksIn: number;
  /** Decoder restarts after failures. */
  restarts: number;
  /** How late the newest frame left the decoder's pacer, ms; null before the first frame. */
  lagMs: number | null;
  decoder: { pid: number | null; running: boolean };
  /** The Opus encoder: running only while a viewer that asked for Opus watches (and `idleTimeoutMs` after). */
  opus: OpusTrackStats;
  rungs: RungStats[];
}

/** One channel's HLS packager, in `live.stats().hls`. */
export interface HlsPackagerStats {
  id: string;
  state: HlsPackagerState;
  running: boolean;
  pid: number | null;
  /** Rendition names (`240p`, …); empty until the first run has planned them. */
  renditions: string[];
  /** Highest segment number listed so far (all renditions list the same numbers); null before the first. */
  lastSegment: number | null;
  /** Packager restarts after failures. */
  restarts: number;
}

/** One connected viewer socket: its place on the ladder, its ack window and what was sent or skipped. */
export interface ViewerStats {
  id: number;
  videoId: string | null;
  rung: number;
  mode: 'auto' | 'locked';
  /** Video frames sent and not yet acknowledged; never above `ackWindow`. */
  inFlight: number;
  /** Bytes waiting in the server's socket buffer for this viewer. */
  bufferedAmount: number;
  framesSent: number;
  /** Frames held back: the ack window full, the pipe congested (video yields to audio), or the socket buffer full. */
  framesSkipped: number;
  /** What its hello negotiated (PCM for clients that named no codecs; null: none in common, no audio). */
  audioCodec: AudioCodec | null;
  audioSent: number;
  /** Audio chunks dropped: the pipe queued over `MAX_AUDIO_LAG_MS` even after video yielded, or the buffer full. */
  audioDropped: number;
  rungSwitches: number;
  /** The rung's label ("240p", "480p · high"); null before the first stream. */
  rungLabel: string | null;
  /** Frames per second this viewer gets (after `videoFps`, `viewer-limits` and decimation below rung 0). */
  viewerFps: number | null;
  /** Video kbit/s the viewer acknowledged over the last ~2 s (`LinkMeter`); null before enough acks. */
  throughputKbps: number | null;
}

/** What `live.stats()` returns: a snapshot, cheap enough to poll every second. */
export interface LiveStreamStats {
  /** Viewer sockets open on this `liveStream` instance. */
  viewers: number;
  channels: ChannelStats[];
  sessions: ViewerStats[];
  /** One HLS packager per channel when HLS is on; empty when it is off. */
  hls: HlsPackagerStats[];
}
