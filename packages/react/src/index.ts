// The whole public API of @onair/react. Message types stay in @onair/protocol; VideoInfo is re-exported
// because every catalog consumer needs it.
export type { VideoInfo } from '@onair/protocol';
export { DEFAULT_RECONNECT_OPTIONS, type ReconnectOptions } from './client/connection/reconnect-backoff';
export { LiveStreamClient, type LiveStreamKnobs } from './client/live-stream-client';
export {
  DEFAULT_AUDIO_BUFFER_MS,
  DEFAULT_VIDEO_BUFFER_MS,
  type LiveStreamClientOptions,
} from './client/options';
export {
  ClientErrorCode,
  type LiveStreamError,
  type LiveStreamSnapshot,
  type LiveStreamStats,
  type LiveStreamStatus,
  type QualityMode,
  type StreamInfo,
} from './client/state/snapshot';
export type {
  Transport,
  TransportCloseEvent,
  TransportConnection,
  TransportHandlers,
} from './client/transport/transport';
export { createWebSocketTransport } from './client/transport/websocket-transport';
export { LiveStreamPlayer, type LiveStreamPlayerProps } from './components/player/live-stream-player';
export { LiveStreamProvider, type LiveStreamProviderProps } from './components/provider/live-stream-provider';
export { VideoSelector, type VideoSelectorProps } from './components/selector/video-selector';
export {
  LiveStreamContext,
  useLiveStreamContext,
  useMaybeLiveStreamContext,
} from './hooks/live-stream-context';
export {
  type LiveStreamActions,
  type LiveStreamCanvasProps,
  type LiveStreamRootProps,
  type UseLiveStreamResult,
  useLiveStream,
} from './hooks/use-live-stream';
export { useLiveStreamSnapshot } from './hooks/use-live-stream-snapshot';
export { type UseVideoCatalogResult, useVideoCatalog } from './hooks/use-video-catalog';
