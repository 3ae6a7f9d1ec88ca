export type { VideoInput, VideoInputObject } from './catalog/video-source';
export { type LiveStream, type LiveStreamMembers, liveStream } from './live-stream';
export type { AuthorizeContext, AuthorizeResult, LiveStreamLogger, LiveStreamOptions } from './options';
export type { ChannelState, ChannelStats, LiveStreamStats, RungStats, ViewerStats } from './stats';
export { MAX_AUDIO_LAG_MS } from './viewer/media-sender';
