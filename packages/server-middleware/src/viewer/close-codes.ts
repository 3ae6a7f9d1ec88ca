/**
 * WebSocket close codes the server uses. The `error` message sent just before the close says more; the code
 * lets a client that missed it tell why without parsing text.
 */
export const ViewerCloseCode = {
  /** The hello named a protocol version this server does not speak (`ONAIR_PROTOCOL_VERSION`). */
  ProtocolVersion: 4001,
  /** `close()` was called (`ONAIR_SERVER_CLOSING`): the standard "going away". */
  ServerClosing: 1001,
} as const;

export type ViewerCloseCode = (typeof ViewerCloseCode)[keyof typeof ViewerCloseCode];
