/** When `auto` gives up on the WebSocket and tries HLS. Defaults: `DEFAULT_CLIENT_OPTIONS.autoFallback`. */
export interface AutoFallbackOptions {
  /** Connection attempts in a row that failed before the server ever welcomed us. Default 2. */
  attempts: number;
  /** Time from `connect` without a welcome. Default 5 000 ms. */
  timeoutMs: number;
}

/**
 * Watches the first connection of an `auto` player: once the socket has worked it stays (a later drop is a
 * reconnect, as for `ws`); until then, enough failed attempts or too long a wait call `onFallBack`. It is called
 * again on each further failure, because the client may not be able to switch yet (the catalog, and with it the
 * video's `hlsUrl`, may still be on its way).
 */
export class AutoFallback {
  private failures = 0;
  private armed = false;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly options: AutoFallbackOptions,
    private readonly onFallBack: () => void,
  ) {}

  arm(): void {
    this.disarm();
    this.armed = true;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.armed) this.onFallBack();
    }, this.options.timeoutMs);
  }

  connectionFailed(): void {
    if (!this.armed) return;
    this.failures++;
    if (this.failures >= this.options.attempts) this.onFallBack();
  }

  /** The server welcomed us: the WebSocket works, stay on it. */
  connected(): void {
    this.disarm();
  }

  disarm(): void {
    this.armed = false;
    this.failures = 0;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
