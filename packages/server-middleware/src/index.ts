export type { AuthorizeContext, AuthorizeGrant, AuthorizeResult } from './access/authorize-hook';
export { type FfmpegTools, resolveFfmpegTools } from './ffmpeg/binaries';
export { type FfmpegInUse, type FfmpegVersion, MIN_FFMPEG_VERSION } from './ffmpeg/ffmpeg-version';
export type {
  BroadcastSharing,
  FeedPublication,
  RelayedFeedSink,
  RelayedPiece,
  SharedStream,
  SharedStreamEvent,
} from './hub/broadcast-sharing';
export type { AppendResult, ChatDraft, Hub, HubEvent, ReactionBatch, ReactionSample } from './hub/hub';
export { type MemoryHubOptions, memoryHub } from './hub/memory-hub';
export { type RedisHubOptions, redisHub } from './hub/redis-hub';
export type { RtmpIngest, RtmpIngestStats } from './ingest/rtmp-ingest';
export { type LiveStream, type LiveStreamMembers, liveStream } from './live-stream';
export type { HlsOptions } from './options/hls-options';
export type { LiveStreamOptions } from './options/live-stream-options';
export {
  type LiveStreamLogger,
  type ObjectFirstLogFn,
  type ObjectFirstLogger,
  pinoLogger,
} from './options/logger';
export type { RateLimit } from './options/option-checks';
export type { VideoInput, VideoInputObject, VideoSource } from './source/video-source';
export type {
  BehindCause,
  ChannelState,
  ChannelStats,
  HlsPackagerState,
  HlsPackagerStats,
  LiveStreamStats,
  OpusTrackStats,
  RecordingStats,
  RungStats,
  ViewerStats,
} from './stats';
export { StreamConflictError, UnknownStreamError } from './streams/stream-errors';
export type { StreamRecord } from './streams/stream-record';
export type {
  CreatedStream,
  LiveStreams,
  StreamChange,
  StreamChangeListener,
  StreamCreateOptions,
} from './streams/stream-registry';
export { MAX_AUDIO_LAG_MS, VIDEO_QUEUE_MS } from './viewer/media-sender';
