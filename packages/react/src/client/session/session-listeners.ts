/** Who follows the session: its link state, and how each connection's first exchange ended. */
export interface SessionListener {
  /** Something in the session's `link` changed. */
  linkChanged?(): void;
  /** The server welcomed a connection, or one ended before it did (what `auto` judges the socket by). */
  connectionSettled?(outcome: 'welcomed' | 'failed'): void;
}

/** The session's listeners, told in the order they came (a listener added while telling waits for the next). */
export class SessionListeners {
  private readonly listeners = new Set<SessionListener>();

  add(listener: SessionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  linkChanged(): void {
    for (const listener of [...this.listeners]) listener.linkChanged?.();
  }

  connectionSettled(outcome: 'welcomed' | 'failed'): void {
    for (const listener of [...this.listeners]) listener.connectionSettled?.(outcome);
  }
}
