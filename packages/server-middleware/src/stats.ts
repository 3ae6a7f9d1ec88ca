import type { AudioCodec, RecordingInfo } from '@onair/protocol';
import type { OpusTrackStats } from './audio/opus-track';
import type { BehindCause } from './channel/output-level-controller';
import type { RungStats } from './ladder/frame-ladder';
import type { RunState } from './lifecycle/on-demand-run';

export type { BehindCause, OpusTrackStats, RungStats };

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
  /**
   * How far the channel's output is behind its timeline: channel clock now − timestamp of the newest frame put
   * on air, ms (about one frame interval when on time); null while no decoder has delivered.
   */
  lagMs: number | null;
  /** The channel is behind now: its frames reach air too late (they are shed), or the decoder has stalled. */
  behind: boolean;
  /**
   * Why it is behind, null when it is not. `decoder`: ffmpeg produces slower than real time, and the channel
   * lowers its output level. `event-loop`: ffmpeg keeps up but the server reads its frames late (its event loop
   * busy, most often sending to many viewers): late frames are shed and the output level is kept, since a lower
   * one would cost every viewer frames without freeing the loop (each viewer's sending yields on its own).
   */
  behindCause: BehindCause | null;
  /**
   * How fast the decoder produces when it is not blocked writing to the server, as a multiple of real time, over
   * the last second: below 1 it cannot keep up by itself. Measured from the wait channels of ffmpeg's threads in
   * Linux's `/proc`; null elsewhere, for live inputs, and for a second after a (re)start.
   */
  decoderSpeed: number | null;
  /** Frames dropped because they reached the pacer already late (never sent late), all runs together. */
  framesShed: number;
  /** JPEG encodes dropped because they finished too late to go on air (`LATE_ENCODE_MS`). */
  encodesShed: number;
  /**
   * The decoder's output level now: 0 is the channel's full format; higher levels have a lower frame rate, then
   * a smaller size, taken when shedding persists and given back when the CPU has room. Null while not decoding.
   */
  output: ChannelOutputStats | null;
  decoder: { pid: number | null; running: boolean };
  /** The Opus encoder: running only while a viewer that asked for Opus watches (and `idleTimeoutMs` after). */
  opus: OpusTrackStats;
  rungs: RungStats[];
}

export interface ChannelOutputStats {
  level: number;
  fps: number;
  width: number;
  height: number;
  /** On the last levels only: the pictures the decoder skips (`noref`, or all but keyframes: `nokey`). */
  skipFrames?: 'noref' | 'nokey';
  /** Level changes since the decoder started (a restart at the lowest level, to get back on time, counts too). */
  changes: number;
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
  /**
   * Channel clock now − end of the newest segment every encoded rendition has, ms: from about 0 (one just
   * listed) to one segment duration when on time; more than two means the encoder cannot keep up. Null before
   * the current run's first segment.
   */
  lagMs: number | null;
  /** More than two segment durations behind now. */
  behind: boolean;
  /**
   * The packager's level now: 0 is every rendition at x264 `veryfast`; then `ultrafast`, then the top rendition
   * shed one at a time (a shed rendition's playlist serves the highest encoded one). Null while not running.
   */
  output: HlsOutputStats | null;
}

export interface HlsOutputStats {
  level: number;
  preset: 'veryfast' | 'superfast' | 'ultrafast';
  /** Renditions encoded now. */
  renditions: string[];
  /** Level changes since the packager started (a restart at the lowest level, to get back on time, counts too). */
  changes: number;
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
  /** Control messages waiting for that buffer to drain below `maxBufferedBytes` (the newest of each kind). */
  controlWaiting: number;
  /** Requests and answers replaced by a newer one of their type before they ran or went out. */
  controlCoalesced: number;
  /** Requests refused past `controlRateLimit` (each `ONAIR_RATE_LIMITED` answer stands for up to a second of them). */
  controlRefused: number;
  framesSent: number;
  /** Frames held back: the ack window full, the pipe congested (video yields to audio), or the socket buffer full. */
  framesSkipped: number;
  /** What its hello negotiated (PCM for clients that named no codecs; null: none in common, no audio). */
  audioCodec: AudioCodec | null;
  audioSent: number;
  /**
   * Audio chunks dropped: on the viewer socket, the pipe queued over `MAX_AUDIO_LAG_MS` even after video yielded, or
   * the buffer full; on the audio socket, its buffer full (`AUDIO_SOCKET_MAX_BUFFERED_BYTES`).
   */
  audioDropped: number;
  /** The sound goes on the viewer's audio socket (PROTOCOL.md, "The audio socket"), not beside the video. */
  audioSocket: boolean;
  rungSwitches: number;
  /** The rung's label ("240p", "480p · high"); null before the first stream. */
  rungLabel: string | null;
  /** Frames per second this viewer gets (after `videoFps`, `viewer-limits` and decimation below rung 0). */
  viewerFps: number | null;
  /** Video kbit/s the viewer acknowledged over the last ~2 s (`LinkMeter`); null before enough acks. */
  throughputKbps: number | null;
}

/** What `live.stats()` returns: a snapshot, cheap enough to poll every second. */
/** One stream's recording (issue 13 item 5). */
export interface RecordingStats extends RecordingInfo {
  streamId: string;
  /** Parts written so far: one per run of the recorder (a broadcaster that reconnects starts the next). */
  parts: number;
  /** The recorder's ffmpeg now, null between runs and once finished. */
  pid: number | null;
}

export interface LiveStreamStats {
  /** Viewer sockets open on this `liveStream` instance that said hello (a socket before its hello is not one). */
  viewers: number;
  channels: ChannelStats[];
  sessions: ViewerStats[];
  /** One HLS packager per channel when HLS is on; empty when it is off. */
  hls: HlsPackagerStats[];
  /** One per stream that records (issue 13 item 5): state, bytes and time written, parts, the recorder's pid. */
  recordings: RecordingStats[];
}
