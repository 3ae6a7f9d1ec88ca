import * as v from 'valibot';
import { VideoIdSchema, VideoInfoSchema } from './catalog';
import { ErrorCode } from './error-codes';
import {
  ChatAckSchema,
  ChatDeletedSchema,
  ChatMessageEventSchema,
  ChatPinnedSchema,
  ReactionsSchema,
  RoomSchema,
  ViewersSchema,
} from './social';
import { StreamStatusMessageSchema } from './streams';

const rung = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(255));
const size = v.pipe(v.number(), v.integer(), v.minValue(0));
const jpegQuality = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100));
const rate = v.pipe(v.number(), v.finite(), v.minValue(0));

/** One rung of a channel's ladder: a picture size and a JPEG quality, with the bitrate it needs. */
export const RungInfoSchema = v.object({
  width: size,
  height: size,
  quality: jpegQuality,
  /** Nominal bitrate at the channel's frame rate, kbit/s: measured from the rung's encodes when it has had any. */
  kbps: rate,
  /** For people: "240p", "480p · high". */
  label: v.pipe(v.string(), v.maxLength(40)),
});

const sampleRate = v.pipe(v.number(), v.integer(), v.minValue(1));
const channelCount = v.pipe(v.number(), v.integer(), v.minValue(1));
const chunkMs = v.pipe(v.number(), v.integer(), v.minValue(1));

/** Opus: each audio message holds one or more packets, each after its length as a big-endian u16. */
export const OpusAudioSchema = v.object({
  codec: v.literal('opus'),
  sampleRate,
  channels: channelCount,
  /** Nominal duration of one audio message. */
  chunkMs,
});

/** PCM s16le interleaved. `codec` is absent from servers older than Opus: it means PCM. */
export const PcmAudioSchema = v.object({
  codec: v.optional(v.literal('pcm'), 'pcm'),
  sampleRate,
  channels: channelCount,
  sampleFormat: v.literal('s16le'),
  chunkMs,
});

export const StreamAudioSchema = v.union([OpusAudioSchema, PcmAudioSchema]);

/** Answer to a good hello: what the client needs to play and to report. */
/** How to open the audio socket (./audio-socket.ts, PROTOCOL.md "The audio socket"), to a hello that asked. */
export const AudioSocketOfferSchema = v.object({
  /**
   * Names this viewer's session: `?audioToken=` on the audio socket's URL, the viewer socket's with its last path
   * segment `audio` for `ws` (`<mount>/audio`). Good while this viewer socket is open.
   */
  token: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{16,64}$/)),
});

export const WelcomeSchema = v.object({
  type: v.literal('welcome'),
  protocolVersion: v.pipe(v.number(), v.integer()),
  /** JPEG qualities of the ladder, lowest first; rung n is ladder[n]. */
  ladder: v.array(jpegQuality),
  /** Send `feedback` this often. */
  feedbackIntervalMs: v.pipe(v.number(), v.integer(), v.minValue(50)),
  /** Video frames the server sends ahead of the client's acks before it skips frames. */
  ackWindow: v.pipe(v.number(), v.integer(), v.minValue(1)),
  /** Largest message the server accepts from the client, in bytes. */
  maxClientMessageBytes: v.pipe(v.number(), v.integer(), v.minValue(1)),
  /** Present when the hello said `audioSocket: true` and this server offers one. */
  audioSocket: v.optional(AudioSocketOfferSchema),
});

/**
 * The catalog: in answer to a `catalog` request, and again, whole, each time it changes (a stream added, gone
 * live, ended or removed) to a socket that has asked for it once.
 */
export const CatalogSchema = v.object({
  type: v.literal('catalog'),
  videos: v.array(VideoInfoSchema),
});

/** The viewer is now on a channel: the media messages that follow belong to it. */
export const StreamSchema = v.object({
  type: v.literal('stream'),
  videoId: VideoIdSchema,
  width: v.pipe(v.number(), v.integer(), v.minValue(0)),
  height: v.pipe(v.number(), v.integer(), v.minValue(0)),
  /** Channel frame rate, and the rate this viewer gets after decimation. */
  fps: v.pipe(v.number(), v.finite(), v.minValue(0)),
  viewerFps: v.pipe(v.number(), v.finite(), v.minValue(0)),
  audio: v.nullable(StreamAudioSchema),
  /** The channel clock (ms) at the moment this message was sent. */
  channelTime: v.pipe(v.number(), v.finite()),
  /** Seconds into the file the channel is at now; null for endless inputs. */
  position: v.nullable(v.pipe(v.number(), v.finite(), v.minValue(0))),
  duration: v.nullable(v.pipe(v.number(), v.finite(), v.minValue(0))),
  rung,
  /** This channel's ladder, lowest bitrate first; `rung` and every rung number index it. */
  rungs: v.pipe(v.array(RungInfoSchema), v.maxLength(256)),
});

/** The viewer's rung changed, and why. */
export const QualityChangedSchema = v.object({
  type: v.literal('quality-changed'),
  rung,
  /** The JPEG quality of that rung. */
  quality: jpegQuality,
  mode: v.picklist(['auto', 'locked']),
  reason: v.picklist([
    'initial',
    'buffer-low',
    'buffer-high',
    'drops',
    'backpressure',
    'request',
    'throughput',
    'cpu',
  ]),
  /** The rung's `label`, `width` and `height` as in `stream.rungs`. */
  label: v.optional(v.pipe(v.string(), v.maxLength(40))),
  width: v.optional(size),
  height: v.optional(size),
  /** Frames per second this viewer gets now, after the server's decimation (below rung 0, or `viewer-limits`). */
  viewerFps: v.optional(rate),
});

export const ErrorMessageSchema = v.object({
  type: v.literal('error'),
  code: v.picklist(Object.values(ErrorCode) as [ErrorCode, ...ErrorCode[]]),
  message: v.pipe(v.string(), v.maxLength(1000)),
  /** The socket closes after a fatal error. */
  fatal: v.boolean(),
  /** The `clientId` of the `chat-send` this refuses, so the client can mark that one message failed. */
  ref: v.optional(v.pipe(v.string(), v.maxLength(64))),
});

export const ServerMessageSchema = v.variant('type', [
  WelcomeSchema,
  CatalogSchema,
  StreamSchema,
  QualityChangedSchema,
  ErrorMessageSchema,
  RoomSchema,
  ChatAckSchema,
  ChatMessageEventSchema,
  ChatDeletedSchema,
  ChatPinnedSchema,
  ReactionsSchema,
  ViewersSchema,
  StreamStatusMessageSchema,
]);

export type WelcomeMessage = v.InferOutput<typeof WelcomeSchema>;
export type AudioSocketOffer = v.InferOutput<typeof AudioSocketOfferSchema>;
export type CatalogMessage = v.InferOutput<typeof CatalogSchema>;
export type StreamMessage = v.InferOutput<typeof StreamSchema>;
export type RungInfo = v.InferOutput<typeof RungInfoSchema>;
export type StreamAudio = v.InferOutput<typeof StreamAudioSchema>;
export type AudioCodec = StreamAudio['codec'];
export type QualityChangedMessage = v.InferOutput<typeof QualityChangedSchema>;
export type ErrorMessage = v.InferOutput<typeof ErrorMessageSchema>;
export type ServerMessage = v.InferOutput<typeof ServerMessageSchema>;
export type ServerMessageType = ServerMessage['type'];
export type ServerMessageMap = { [T in ServerMessageType]: Extract<ServerMessage, { type: T }> };
