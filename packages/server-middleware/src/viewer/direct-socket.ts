import { Socket } from 'node:net';
import type WebSocket from 'ws';
import { type FrameKind, prebuiltFrame } from './prebuilt-frame';

/**
 * The TCP socket under a server-side `ws` WebSocket, for writing prebuilt media frames (`prebuiltFrame`) straight
 * to it; null when ws's own sender must frame each message (an extension such as permessage-deflate was
 * negotiated, or `ws` is not a real connection).
 *
 * Writing beside `ws.send` keeps ws consistent because its sender holds no state between whole unfragmented,
 * uncompressed messages: it queues only while compressing or reading a Blob, neither of which happens without
 * an extension and with Buffers only. Both write to the same socket in call order, `ws.bufferedAmount` counts
 * what either wrote (it reads the socket's own buffer), and callers write only while the socket is OPEN, so
 * nothing follows ws's close frame. `_socket` is ws's field (8.x, pinned in package-lock); the tests beside this
 * file fail if it moves, rather than the fan-out silently going back to `ws.send`.
 */
export function directSocket(ws: WebSocket): Socket | null {
  const socket = (ws as unknown as { _socket?: unknown })._socket;
  if (!(socket instanceof Socket) || ws.extensions !== '') return null;
  return socket;
}

/**
 * Writes a message the way the fan-out does: its prebuilt frame in one write to `direct` when there is one, else
 * through `ws.send`. The caller checks the socket is open.
 */
export function writeFramed(
  ws: WebSocket,
  direct: Socket | null,
  bytes: Buffer,
  kind: FrameKind = 'binary',
): void {
  if (direct) direct.write(prebuiltFrame(bytes, kind));
  else ws.send(bytes, { binary: kind === 'binary' });
}
