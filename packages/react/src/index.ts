// The whole public API of @onair/react. Message types stay in @onair/protocol; VideoInfo is re-exported
// because every catalog consumer needs it.
export type { VideoInfo } from '@onair/protocol';
export {
  BROADCAST_MIME_TYPES,
  type BroadcastSessionState,
  type BroadcastStatus,
} from './client/broadcast/broadcast-session';
export type { BroadcastSource, CaptureChoice, CaptureDevices } from './client/broadcast/capture';
export type { ReconnectOptions } from './client/connection/reconnect-backoff';
export type { HlsConstructor, HlsInstance, HlsLoader } from './client/hls/hls-js';
export { LiveStreamClient, type LiveStreamKnobs } from './client/live-stream-client';
export {
  DEFAULT_AUDIO_BUFFER_MS,
  DEFAULT_AUTO_FALLBACK_OPTIONS,
  DEFAULT_CLIENT_OPTIONS,
  DEFAULT_RECONNECT_OPTIONS,
  DEFAULT_ROOM_OPTIONS,
  DEFAULT_VIDEO_BUFFER_MS,
  type LiveStreamClientOptions,
  type ResolvedClientOptions,
} from './client/options';
export type { AutoFallbackOptions } from './client/playback/auto-fallback';
export { chatTextProblem } from './client/room/chat-text';
export { DISPLAY_NAME_STORAGE_KEY, displayNameProblem } from './client/room/display-name';
export type {
  ChatEntry,
  ChatMessageStatus,
  FloatingReaction,
  RoomError,
  RoomErrorSource,
  RoomSnapshot,
} from './client/room/room-snapshot';
export type { RoomOptions, SendChatResult } from './client/room/room-store';
export {
  ClientErrorCode,
  type HlsLevel,
  type LiveStreamError,
  type LiveStreamSnapshot,
  type LiveStreamStats,
  type LiveStreamStatus,
  type QualityMode,
  type StreamInfo,
} from './client/state/snapshot';
export type { TransportMode } from './client/state/transport-mode';
export type {
  Transport,
  TransportCloseEvent,
  TransportConnection,
  TransportHandlers,
} from './client/transport/transport';
export { createWebSocketTransport } from './client/transport/websocket-transport';
export {
  StreamBroadcaster,
  type StreamBroadcasterProps,
} from './components/broadcaster/stream-broadcaster';
export { StreamChat, type StreamChatProps } from './components/chat/stream-chat';
export { LiveStreamPlayer, type LiveStreamPlayerProps } from './components/player/live-stream-player';
export { type QualityChoices, qualityChoices } from './components/player/quality-choices';
export { LiveStreamProvider, type LiveStreamProviderProps } from './components/provider/live-stream-provider';
export { REACTION_NAMES } from './components/reactions/reaction-names';
export { Reactions, type ReactionsProps } from './components/reactions/reactions';
export { ReactionsOverlay, type ReactionsOverlayProps } from './components/reactions/reactions-overlay';
export { VideoSelector, type VideoSelectorProps } from './components/selector/video-selector';
export { ViewerCount, type ViewerCountProps } from './components/viewers/viewer-count';
export { NARROW_LAYOUT_MAX_WIDTH } from './hooks/internal/use-container-layout';
export {
  LiveStreamContext,
  useLiveStreamContext,
  useMaybeLiveStreamContext,
} from './hooks/live-stream-context';
export { type UseBroadcastOptions, type UseBroadcastResult, useBroadcast } from './hooks/use-broadcast';
export {
  type SetDisplayNameResult,
  type UseDisplayNameOptions,
  type UseDisplayNameResult,
  useDisplayName,
} from './hooks/use-display-name';
export {
  type LiveStreamActions,
  type LiveStreamCanvasProps,
  type LiveStreamRootProps,
  type LiveStreamVideoProps,
  type UseLiveStreamResult,
  useLiveStream,
} from './hooks/use-live-stream';
export { useLiveStreamSnapshot } from './hooks/use-live-stream-snapshot';
export { usePrefersReducedMotion } from './hooks/use-prefers-reduced-motion';
export { type UseReactionsResult, useReactions } from './hooks/use-reactions';
export { useRoomSnapshot } from './hooks/use-room-snapshot';
export { type StreamChatActions, type UseStreamChatResult, useStreamChat } from './hooks/use-stream-chat';
export { type UseVideoCatalogResult, useVideoCatalog } from './hooks/use-video-catalog';
export { type UseViewerCountResult, useViewerCount } from './hooks/use-viewer-count';
