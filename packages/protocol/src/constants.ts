/** The JSON and binary protocol version. A hello with another version is refused (PROTOCOL.md, "Versioning"). */
export const PROTOCOL_VERSION = 1;

/** Version byte written into every binary media header. */
export const MEDIA_HEADER_VERSION = 1;

/** Fixed size of the binary media header, in bytes. Decoders honour the header-length byte, so it can grow. */
export const MEDIA_HEADER_BYTES = 24;

/** Four ASCII bytes that open every binary message and name its kind. */
export const MAGIC = {
  video: 'OAVF',
  audio: 'OAAU',
  ack: 'OAAK',
} as const;

/** A video-frame acknowledgement: magic + u32 sequence number. */
export const ACK_BYTES = 8;

/** Largest text (JSON) message either side accepts, in bytes. */
export const MAX_CONTROL_MESSAGE_BYTES = 16 * 1024;

/** Largest message a client may send at all; the server's `maxPayload`. */
export const MAX_CLIENT_MESSAGE_BYTES = 64 * 1024;

/** Longest id a video may have (ids appear in URLs and messages). */
export const MAX_VIDEO_ID_LENGTH = 128;

/** Ids are safe in a URL path segment and a file name: no dots-only names, no slashes. */
export const VIDEO_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

/** Default JPEG quality ladder, lowest first. A rung is an index into it. */
export const DEFAULT_LADDER: readonly number[] = [40, 55, 70, 80, 90];

/** Audio codecs of the wire, in the server's order of preference (PROTOCOL.md, "Audio codecs"). */
export const AUDIO_CODECS = ['opus', 'pcm'] as const;

/** Opus as the server sends it: 48 kHz, the channel's channel count, length-prefixed packets per message. */
export const OPUS_FORMAT = {
  sampleRate: 48_000,
  /** Each packet in an audio message is preceded by its length as a big-endian u16. */
  packetLengthBytes: 2,
} as const;

/** PCM audio as the server sends it. */
export const AUDIO_FORMAT = {
  sampleRate: 48_000,
  channels: 2,
  /** Signed 16-bit little-endian, interleaved. */
  sampleFormat: 's16le',
  bytesPerSample: 2,
} as const;

/**
 * Default audio chunk length. The player must hold a whole chunk beyond its playhead, so the chunk sets the least
 * latency: 40 ms lets a clean link play about 120 ms behind the sound's arrival. Each message costs the server
 * about as much CPU as a video frame, so 25 a second cost more than 10 (100 ms chunks): BENCHMARKS.md, session 13.
 */
export const DEFAULT_AUDIO_CHUNK_MS = 40;

/** How often the player reports its buffer to the server. */
export const DEFAULT_FEEDBACK_INTERVAL_MS = 500;

/**
 * Bounds of the `feedback` report's fields (FeedbackSchema). Players clamp to them before sending: a report outside
 * them is refused by the server.
 */
export const FEEDBACK_LIMITS = {
  /** Largest `bufferLevel` (a fraction of the target; 100 = a hundred times the target). */
  maxLevel: 100,
  /** Largest `bufferMs` and `decodeMs`: one hour. */
  maxMs: 3_600_000,
  /** Largest `droppedFrames` and `lateFrames` in one report. */
  maxCount: 1_000_000,
} as const;

/** Bounds of `viewer-limits` (ViewerLimitsSchema). */
export const VIEWER_LIMITS = {
  minFps: 1,
  maxFps: 120,
  minHeight: 16,
  maxHeight: 4320,
} as const;

/**
 * Frame-rate steps below the lowest rung: a viewer whose link cannot carry rung 0 gets the channel's frames
 * divided by these in turn (30 → 15 → 10 → 5 fps for a 30 fps channel) before anything freezes.
 */
export const FPS_DECIMATION_STEPS: readonly number[] = [1, 2, 3, 6];

/**
 * How long a player holds video before showing it (its jitter buffer), unless told otherwise: the React player's
 * `videoBufferMs` default and the delay `onair watch` simulates.
 */
export const DEFAULT_VIDEO_BUFFER_MS = 150;

/** Longest chat message, in Unicode code points (what a person counts as characters). */
export const MAX_CHAT_LENGTH = 500;

/** Longest display name, in code points. */
export const MAX_DISPLAY_NAME_LENGTH = 40;

/** Longest client-chosen id (used to make a resend idempotent). */
export const MAX_CLIENT_ID_LENGTH = 64;

/** Reactions are fanned out in batches at most this often, so a burst does not become a message per reaction. */
export const REACTION_BATCH_MS = 250;

/** The emoji a server allows unless the host configures its own set. */
export const DEFAULT_REACTIONS: readonly string[] = ['❤️', '👍', '😂', '😮', '👏', '🔥'];
