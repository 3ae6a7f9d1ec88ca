/** How a connection reports what happens to it. Exactly one `onClose` ends every connection. */
export interface TransportHandlers {
  onOpen(): void;
  /** A text message (JSON control) as a string, or a binary one (media) as bytes. */
  onMessage(data: string | Uint8Array): void;
  onClose(event: TransportCloseEvent): void;
  /** Informational: a close always follows, and that is where the client reacts. */
  onError(error: Error): void;
}

export interface TransportCloseEvent {
  code: number;
  reason: string;
}

/** One open (or opening) connection to the server. */
export interface TransportConnection {
  /** Sends a text or binary message; dropped silently when the connection is not open. */
  send(data: string | Uint8Array): void;
  close(code?: number, reason?: string): void;
}

/**
 * What the client needs from the network: open a connection to a URL, send text or bytes, hear events. The
 * browser WebSocket is the default; `@onair/react/mock` implements the same interface with an in-memory server.
 */
export interface Transport {
  /** Names the WebSocket playback while it plays (the snapshot's `transport`, `data-transport`), e.g. "ws". */
  readonly name: string;
  open(url: string, handlers: TransportHandlers): TransportConnection;
}
