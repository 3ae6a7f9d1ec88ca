import type { Transport, TransportConnection } from '../transport/transport';
import { type ReconnectOptions, reconnectDelay } from './reconnect-backoff';

export interface ConnectionDownEvent {
  /** False when the connection gave up (attempts exhausted, or retries were turned off by a fatal error). */
  willRetry: boolean;
  /** Retry number about to be made (1 for the first retry). */
  attempt: number;
  delayMs: number;
  code: number;
  reason: string;
}

export interface ConnectionHandlers {
  onOpen(): void;
  onText(text: string): void;
  onBinary(bytes: Uint8Array): void;
  onDown(event: ConnectionDownEvent): void;
}

/**
 * Keeps one transport connection up: opens it, and when it drops, opens a new one after a backoff delay.
 * Events of a connection that was replaced or closed on purpose are ignored, so a late close from an old
 * socket can never tear down the new one.
 */
export class ReconnectingConnection {
  private current: TransportConnection | null = null;
  private generation = 0;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private running = false;
  private retriesAllowed = true;
  private url = '';

  constructor(
    private readonly transport: Transport,
    private readonly handlers: ConnectionHandlers,
    private readonly reconnect: ReconnectOptions,
    private readonly random: () => number = Math.random,
  ) {}

  get attempts(): number {
    return this.attempt;
  }

  start(url: string): void {
    this.stop();
    this.url = url;
    this.running = true;
    this.retriesAllowed = true;
    this.attempt = 0;
    this.open();
  }

  stop(): void {
    this.running = false;
    this.generation++;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const connection = this.current;
    this.current = null;
    connection?.close(1000, 'client closed');
  }

  send(data: string | Uint8Array): void {
    this.current?.send(data);
  }

  /** The server accepted us: the next drop starts the backoff from the beginning again. */
  markHealthy(): void {
    this.attempt = 0;
  }

  /** After a fatal refusal (wrong protocol version, unauthorized) retrying would only be refused again. */
  disableRetries(): void {
    this.retriesAllowed = false;
  }

  private open(): void {
    const generation = ++this.generation;
    const isCurrent = () => generation === this.generation && this.running;
    try {
      this.current = this.transport.open(this.url, {
        onOpen: () => {
          if (isCurrent()) this.handlers.onOpen();
        },
        onMessage: (data) => {
          if (!isCurrent()) return;
          if (typeof data === 'string') this.handlers.onText(data);
          else this.handlers.onBinary(data);
        },
        onError: () => {},
        onClose: (event) => {
          if (isCurrent()) this.down(event.code, event.reason);
        },
      });
    } catch (error) {
      // A transport may throw synchronously (a malformed URL): that is a failed attempt like any other.
      this.current = null;
      this.down(1006, error instanceof Error ? error.message : String(error));
    }
  }

  private down(code: number, reason: string): void {
    this.current = null;
    this.generation++;
    const willRetry = this.retriesAllowed && this.attempt < this.reconnect.maxAttempts;
    const delayMs = willRetry ? reconnectDelay(this.attempt, this.reconnect, this.random) : 0;
    if (willRetry) {
      this.attempt++;
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        if (this.running) this.open();
      }, delayMs);
    } else {
      this.running = false;
    }
    this.handlers.onDown({ willRetry, attempt: this.attempt, delayMs, code, reason });
  }
}
