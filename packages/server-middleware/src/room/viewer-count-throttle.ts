interface StreamCount {
  latest: number;
  sent: number | null;
  sentAt: number;
  timer: NodeJS.Timeout | null;
}

/**
 * Viewer counts change with every join and leave; viewers hear of it at most once per `intervalMs` per stream
 * (the first change at once, later ones coalesced), and never of a count they already have.
 */
export class ViewerCountThrottle {
  private readonly streams = new Map<string, StreamCount>();

  constructor(
    private readonly intervalMs: number,
    private readonly send: (streamId: string, count: number) => void,
  ) {}

  update(streamId: string, count: number): void {
    let state = this.streams.get(streamId);
    if (!state) {
      state = { latest: count, sent: null, sentAt: Number.NEGATIVE_INFINITY, timer: null };
      this.streams.set(streamId, state);
    }
    state.latest = count;
    if (state.timer) return;
    const wait = state.sentAt + this.intervalMs - Date.now();
    if (wait <= 0) this.flush(streamId, state);
    else state.timer = setTimeout(() => this.flush(streamId, state), wait);
  }

  /**
   * A joining viewer was told `count` by its `room` message, outside this throttle. If the room last heard another
   * count, the next change must go out even if it brings the count back to that one: the joiner does not have it.
   */
  told(streamId: string, count: number): void {
    const state = this.streams.get(streamId);
    if (state && state.sent !== count) state.sent = null;
  }

  close(): void {
    for (const state of this.streams.values()) if (state.timer) clearTimeout(state.timer);
    this.streams.clear();
  }

  private flush(streamId: string, state: StreamCount): void {
    state.timer = null;
    if (state.latest === state.sent) return;
    state.sent = state.latest;
    state.sentAt = Date.now();
    this.send(streamId, state.latest);
  }
}
