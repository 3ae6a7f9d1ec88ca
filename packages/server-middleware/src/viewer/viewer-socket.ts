import { type ErrorCode, encodeMessage, type ServerMessage } from '@onair/protocol';
import WebSocket from 'ws';

/**
 * The control side of a viewer's socket: JSON messages out, never queued past `maxBufferedBytes` unless they
 * matter (a fatal error), so a viewer that stops reading cannot grow the server's memory with chatter.
 */
export class ViewerSocket {
  constructor(
    private readonly ws: WebSocket,
    private readonly maxBufferedBytes: number,
  ) {}

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  send(message: ServerMessage): void {
    if (this.isOpen) this.ws.send(encodeMessage(message));
  }

  /** Room events, encoded once for the whole room; dropped for a viewer whose buffer is already full. */
  sendEncoded(bytes: Buffer): void {
    if (this.isOpen && this.ws.bufferedAmount < this.maxBufferedBytes) this.ws.send(bytes, { binary: false });
  }

  /** `ref` names the `chat-send` refused (its `clientId`). */
  sendError(code: ErrorCode, message: string, fatal: boolean, ref?: string): void {
    // A client flooding bad messages while not reading must not grow our buffer with the answers.
    if (!fatal && this.ws.bufferedAmount >= this.maxBufferedBytes) return;
    const text = message.slice(0, 1000);
    this.send({ type: 'error', code, message: text, fatal, ...(ref === undefined ? {} : { ref }) });
  }
}
