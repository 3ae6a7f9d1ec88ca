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
