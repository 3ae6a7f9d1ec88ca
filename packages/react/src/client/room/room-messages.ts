import { ErrorCode, type ErrorMessage, type ServerMessage, type ServerMessageMap } from '@onair/protocol';

/** The server messages that belong to the room (chat, reactions, presence) rather than to playback. */
export type RoomServerMessage = ServerMessageMap[
  | 'room'
  | 'chat-ack'
  | 'chat-message'
  | 'chat-deleted'
  | 'chat-pinned'
  | 'reactions'
  | 'viewers'];

const ROOM_MESSAGE_TYPES: ReadonlySet<ServerMessage['type']> = new Set<RoomServerMessage['type']>([
  'room',
  'chat-ack',
  'chat-message',
  'chat-deleted',
  'chat-pinned',
  'reactions',
  'viewers',
]);

const ROOM_ERROR_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  ErrorCode.ChatEmpty,
  ErrorCode.ChatTooLong,
  ErrorCode.RateLimited,
  ErrorCode.NotJoined,
  ErrorCode.Forbidden,
  ErrorCode.UnknownChatMessage,
  ErrorCode.BadReaction,
]);

export function isRoomMessage(message: ServerMessage): message is RoomServerMessage {
  return ROOM_MESSAGE_TYPES.has(message.type);
}

/** A refusal of a chat message (it names it in `ref`) or of another room action; never a fatal one. */
export function isRoomError(message: ErrorMessage): boolean {
  return !message.fatal && (message.ref !== undefined || ROOM_ERROR_CODES.has(message.code));
}
