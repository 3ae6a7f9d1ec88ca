/**
 * Every error code the server sends in an `error` message. Codes are stable strings with a prefix so a host can
 * grep for them in logs; PROTOCOL.md lists each with its meaning.
 */
export const ErrorCode = {
  /** The hello named a protocol version this server does not speak. Fatal: the socket closes. */
  ProtocolVersion: 'ONAIR_PROTOCOL_VERSION',
  /** A message came before the hello, or a second hello came. */
  HelloRequired: 'ONAIR_HELLO_REQUIRED',
  /** The text message is not JSON, or not a known message, or a field is missing or of the wrong type. */
  BadMessage: 'ONAIR_BAD_MESSAGE',
  /** The message is larger than the server accepts. */
  MessageTooLarge: 'ONAIR_MESSAGE_TOO_LARGE',
  /** A binary message the server does not understand (bad magic, bad length). */
  BadBinary: 'ONAIR_BAD_BINARY',
  /** `select` named a video the catalog does not have. */
  UnknownVideo: 'ONAIR_UNKNOWN_VIDEO',
  /** `quality` named a rung outside the ladder. */
  BadRung: 'ONAIR_BAD_RUNG',
  /** The channel's decoder failed; the server retries and says `stream` again when it is back. */
  ChannelFailed: 'ONAIR_CHANNEL_FAILED',
  /** The host's authorize hook refused. */
  Unauthorized: 'ONAIR_UNAUTHORIZED',
  /** The server is shutting down. */
  ServerClosing: 'ONAIR_SERVER_CLOSING',
  /** The message (or its text after trimming) is empty. */
  ChatEmpty: 'ONAIR_CHAT_EMPTY',
  /** The chat message is longer than `MAX_CHAT_LENGTH` characters. */
  ChatTooLong: 'ONAIR_CHAT_TOO_LONG',
  /**
   * Too many chat messages, reactions or control requests from this connection (or, fatal, too many sockets from
   * its address); wait and retry.
   */
  RateLimited: 'ONAIR_RATE_LIMITED',
  /** Chat or reactions before `select` joined a room. */
  NotJoined: 'ONAIR_NOT_JOINED',
  /** The role this viewer has does not allow that (e.g. a chatter deleting a message). */
  Forbidden: 'ONAIR_FORBIDDEN',
  /** `chat-delete` or `chat-pin` named a message the room does not have. */
  UnknownChatMessage: 'ONAIR_UNKNOWN_CHAT_MESSAGE',
  /** A reaction not in the server's set. */
  BadReaction: 'ONAIR_BAD_REACTION',
  /** Chat is unavailable for a moment (the hub, e.g. its Redis, did not answer); nothing was stored. Retry. */
  HubUnavailable: 'ONAIR_HUB_UNAVAILABLE',
  /** HTTP only: a route parameter does not match its fixed pattern (e.g. a video id with a slash). */
  BadRequest: 'ONAIR_BAD_REQUEST',
  /** HTTP only: no such route, or a WebSocket upgrade on a path nothing listens on. */
  NotFound: 'ONAIR_NOT_FOUND',
  /**
   * HTTP only (409): the request conflicts with the stream's state: its id is taken, or its status does not allow
   * that move (e.g. starting an ended stream).
   */
  Conflict: 'ONAIR_CONFLICT',
  /** HTTP only: the server failed (500); the details are in the server's log, never in the answer. */
  Internal: 'ONAIR_INTERNAL',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Codes a decoder gives for bytes it cannot read (never sent by the server, used locally). */
export const DecodeErrorCode = {
  Truncated: 'TRUNCATED',
  BadMagic: 'BAD_MAGIC',
  BadVersion: 'BAD_VERSION',
  BadLength: 'BAD_LENGTH',
  NotJson: 'NOT_JSON',
  TooLarge: 'TOO_LARGE',
  Invalid: 'INVALID',
} as const;

export type DecodeErrorCode = (typeof DecodeErrorCode)[keyof typeof DecodeErrorCode];

/**
 * WebSocket close codes the server uses. The `error` message sent just before the close says more; the code
 * lets a client that missed it tell why without parsing text.
 */
export const CloseCode = {
  /** The hello named a protocol version this server does not speak (`ONAIR_PROTOCOL_VERSION`). */
  ProtocolVersion: 4001,
  /** No valid hello within the server's hello deadline (after a fatal `ONAIR_HELLO_REQUIRED`). */
  HelloTimeout: 4002,
  /** Too many sockets open from this client's address (after a fatal `ONAIR_RATE_LIMITED`). */
  TooManySockets: 4003,
  /**
   * The client stopped reading: the server's messages waiting for it outgrew its buffer budget. No `error` comes
   * first (it could not be read).
   */
  NotReading: 4004,
  /** Audio socket: a newer audio socket of the same viewer took its place. */
  AudioSocketReplaced: 4005,
  /** Ingest socket: the broadcast was refused (key, stream state, no hello first) or taken over by a newer socket. */
  BroadcastRefused: 4010,
  /** Ingest socket: the media is not a WebM stream (after a fatal `ONAIR_BAD_BINARY`). */
  BadMedia: 4011,
  /** `close()` was called (`ONAIR_SERVER_CLOSING`): the standard "going away". */
  ServerClosing: 1001,
  /** The client broke RFC 6455's framing rules (closed by the WebSocket library itself). */
  ProtocolError: 1002,
  /** A text message was not valid UTF-8 (closed by the WebSocket library itself). */
  InvalidPayload: 1007,
  /** Audio socket: the client sent a message on it (it carries the server's sound only). */
  PolicyViolation: 1008,
  /** A message exceeded `MAX_CLIENT_MESSAGE_BYTES` (closed by the WebSocket library itself). */
  MessageTooBig: 1009,
} as const;

export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];
