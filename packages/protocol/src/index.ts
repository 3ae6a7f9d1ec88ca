export { AckPacer } from './ack-pacer';
export {
  DEFAULT_CLIENT_AUDIO_CODECS,
  decodeOpusPackets,
  encodeOpusPackets,
  isAudioCodec,
  pickAudioCodec,
} from './audio-codecs';
export type { AudioSocketMessage, AudioStreamMessage } from './audio-socket';
export { AudioSocketMessageSchema } from './audio-socket';
export type {
  BroadcastClientMessage,
  BroadcastContainerMessage,
  BroadcastEndedMessage,
  BroadcastEndMessage,
  BroadcastHelloMessage,
  BroadcastServerMessage,
  BroadcastStatusMessage,
  BroadcastWelcomeMessage,
} from './broadcast';
export {
  BROADCAST_MIME_PATTERN,
  BroadcastClientMessageSchema,
  BroadcastServerMessageSchema,
  MAX_BROADCAST_CHUNK_BYTES,
  MAX_STREAM_KEY_LENGTH,
} from './broadcast';
export type { RecordingInfo, RecordingState, StreamStatus, VideoInfo } from './catalog';
export {
  RecordingInfoSchema,
  RecordingStateSchema,
  StreamStatusSchema,
  VideoIdSchema,
  VideoInfoSchema,
} from './catalog';
export type {
  CatalogRequestMessage,
  ClientMessage,
  ClientMessageMap,
  ClientMessageType,
  FeedbackMessage,
  HelloMessage,
  QualityRequestMessage,
  SelectMessage,
  ViewerLimitsMessage,
} from './client-messages';
export { ClientMessageSchema } from './client-messages';
export {
  ACK_BYTES,
  AUDIO_CODECS,
  AUDIO_FORMAT,
  DEFAULT_AUDIO_CHUNK_MS,
  DEFAULT_FEEDBACK_INTERVAL_MS,
  DEFAULT_LADDER,
  DEFAULT_REACTIONS,
  DEFAULT_VIDEO_BUFFER_MS,
  FEEDBACK_LIMITS,
  FPS_DECIMATION_STEPS,
  MAGIC,
  MAX_CHAT_LENGTH,
  MAX_CLIENT_ID_LENGTH,
  MAX_CLIENT_MESSAGE_BYTES,
  MAX_CONTROL_MESSAGE_BYTES,
  MAX_DISPLAY_NAME_LENGTH,
  MAX_VIDEO_ID_LENGTH,
  MEDIA_HEADER_BYTES,
  MEDIA_HEADER_VERSION,
  OPUS_FORMAT,
  PROTOCOL_VERSION,
  REACTION_BATCH_MS,
  VIDEO_ID_PATTERN,
  VIEWER_LIMITS,
} from './constants';
export { CloseCode, DecodeErrorCode, ErrorCode } from './error-codes';
export { reducedRateExtraMs } from './frame-rate';
export {
  decodeAudioSocketMessage,
  decodeBroadcastClientMessage,
  decodeBroadcastServerMessage,
  decodeClientMessage,
  decodeServerMessage,
  encodeMessage,
} from './json-codec';
export type { MediaHeader, MediaKind, MediaMessage } from './media';
export { decodeAck, decodeMediaHeader, decodeMediaMessage, encodeAck, encodeMediaMessage } from './media';
export type { DecodeError, DecodeResult } from './result';
export type {
  AudioCodec,
  AudioSocketOffer,
  CatalogMessage,
  ErrorMessage,
  QualityChangedMessage,
  RungInfo,
  ServerMessage,
  ServerMessageMap,
  ServerMessageType,
  StreamAudio,
  StreamMessage,
  WelcomeMessage,
} from './server-messages';
export { ServerMessageSchema } from './server-messages';
export type {
  ChatAckMessage,
  ChatDeletedMessage,
  ChatDeleteMessage,
  ChatMessage,
  ChatMessageEvent,
  ChatPinMessage,
  ChatPinnedMessage,
  ChatPost,
  ChatRole,
  ChatSendMessage,
  ReactionSendMessage,
  ReactionsMessage,
  RoomMessage,
  ViewersMessage,
} from './social';
export { ChatMessageSchema, ChatPostSchema, ChatRoleSchema, chatLength, decodeChatPost } from './social';
export type {
  AccessRole,
  StreamCreate,
  StreamCreated,
  StreamInfo,
  StreamIngest,
  StreamStatusMessage,
} from './streams';
export {
  AccessRoleSchema,
  StreamCreatedSchema,
  StreamCreateSchema,
  StreamInfoSchema,
  StreamInputSchema,
  StreamListQuerySchema,
  StreamStatusMessageSchema,
} from './streams';
