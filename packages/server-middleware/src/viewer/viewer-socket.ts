import type { Socket } from 'node:net';
import { CloseCode, type ErrorCode, encodeMessage, type ServerMessage } from '@onair/protocol';
import WebSocket from 'ws';
import { backlogKey, ControlBacklog } from './control-backlog';
import { directSocket, writeFramed } from './direct-socket';

/** How often a waiting backlog checks whether the socket drained (ws has no public drain event). */
const DRAIN_POLL_MS = 50;

/**
 * After the server closes a socket, how long before it is cut: the close frame of a client that does not read
 * waits behind the unread bytes, and ws would otherwise hold them (and the socket) for its own 30 s close timeout.
 */
export const CLOSE_GRACE_MS = 2_000;

/** Closes with `code`, and cuts the connection if the client has not completed the close within the grace. */
export function closeSoon(ws: WebSocket, code: number, reason: string): void {
  ws.close(code, reason);
  setTimeout(() => ws.terminate(), CLOSE_GRACE_MS).unref();
}

/**
 * More waiting control messages than this (one per state type, one per unacknowledged chat message) and the
 * client is not reading them: far more than the chat budget lets through in a heartbeat.
 */
const MAX_WAITING_CONTROL = 64;

export interface ViewerSocketLimits {
  /** `maxBufferedBytes`: nothing is added to a socket buffer that holds this much (a fatal error aside). */
  maxBufferedBytes: number;
  /** Waiting control messages that have not drained for this long close the socket with 4004. */
  stallMs: number;
}

/**
 * The one way out of a viewer's socket: media, control messages, room events and errors all pass here, and none
 * is added to a buffer that already holds `maxBufferedBytes`, so a client that stops reading (or floods requests
 * and never reads the answers) costs the server a bounded amount of memory. Over the budget, media and events
 * are dropped, non-fatal errors too, and the state messages (`catalog`, `stream`, `room`, `quality-changed`,
 * `chat-ack`) wait in a backlog where the newest of each kind replaces the older one; media waits behind them, so
 * a frame never arrives before the `stream` it belongs to. A backlog that does not drain within `stallMs` (or
 * outgrows its bound) means the client is not reading: the socket is closed with 4004.
 */
export class ViewerSocket {
  private readonly backlog = new ControlBacklog(MAX_WAITING_CONTROL);
  private drainTimer: NodeJS.Timeout | null = null;
  /** Where media frames are written whole, framed once for every viewer; null: through `ws.send`. */
  private readonly direct: Socket | null;

  constructor(
    private readonly ws: WebSocket,
    private readonly limits: ViewerSocketLimits,
  ) {
    this.direct = directSocket(ws);
    ws.once('close', () => this.stopDraining());
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  get bufferedAmount(): number {
    return this.ws.bufferedAmount;
  }

  /** Control messages waiting for the buffer to drain, and how many were replaced by newer ones (stats). */
  get waiting(): { messages: number; replaced: number } {
    return { messages: this.backlog.size, replaced: this.backlog.replaced };
  }

  send(message: ServerMessage): void {
    if (!this.isOpen) return;
    const key = backlogKey(message);
    if (key === null) {
      if (this.flush()) this.ws.send(encodeMessage(message));
      return;
    }
    if (this.flush()) {
      this.ws.send(encodeMessage(message));
      return;
    }
    if (!this.backlog.put(key, message)) {
      this.notReading();
      return;
    }
    this.drainLater();
  }

  /**
   * Room events, encoded once for the whole room (and framed once, as media is); dropped for a viewer whose
   * buffer is already full.
   */
  sendEncoded(bytes: Buffer): void {
    if (!this.isOpen || !this.flush()) return;
    writeFramed(this.ws, this.direct, bytes, 'text');
  }

  /**
   * A media message; false (not sent) while the buffer is full or control messages wait ahead of it. The same
   * Buffer goes to many viewers, so its WebSocket frame is built once and each viewer's send is one write of it.
   */
  sendMedia(bytes: Buffer): boolean {
    if (!this.isOpen || !this.flush()) return false;
    writeFramed(this.ws, this.direct, bytes);
    return true;
  }

  /** `ref` names the `chat-send` refused (its `clientId`). A fatal error is sent whatever the buffer holds. */
  sendError(code: ErrorCode, message: string, fatal: boolean, ref?: string): void {
    const error: ServerMessage = {
      type: 'error',
      code,
      message: message.slice(0, 1000),
      fatal,
      ...(ref === undefined ? {} : { ref }),
    };
    if (!fatal) this.send(error);
    else if (this.isOpen) this.ws.send(encodeMessage(error));
  }

  /**
   * Sends what waits while the buffer has room; true when nothing waits any more and the buffer is under the
   * budget, i.e. a new message may go out now.
   */
  private flush(): boolean {
    const { maxBufferedBytes } = this.limits;
    while (this.backlog.size > 0 && this.ws.bufferedAmount < maxBufferedBytes) {
      this.ws.send(encodeMessage(this.backlog.shift()!));
    }
    if (this.backlog.size === 0) this.stopDraining();
    return this.backlog.size === 0 && this.ws.bufferedAmount < maxBufferedBytes;
  }

  private drainLater(): void {
    this.drainTimer ??= setInterval(() => {
      if (!this.isOpen) this.stopDraining();
      else if (this.flush()) return;
      else if (this.backlog.waitedMs() > this.limits.stallMs) this.notReading();
    }, DRAIN_POLL_MS);
  }

  private stopDraining(): void {
    if (this.drainTimer) clearInterval(this.drainTimer);
    this.drainTimer = null;
  }

  /** The client does not read its control messages: close (the frame waits behind the unread bytes). */
  private notReading(): void {
    this.stopDraining();
    this.backlog.clear();
    if (this.isOpen) closeSoon(this.ws, CloseCode.NotReading, 'not reading its messages');
  }
}
