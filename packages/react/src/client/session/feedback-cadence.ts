/**
 * The steady cadence the server's `welcome` sets (`feedbackIntervalMs`): the session sends the player's feedback
 * report on it, and the WebSocket playback refreshes its stats with it, so both describe the same moment.
 */
export class FeedbackCadence {
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly tick: () => void) {}

  start(intervalMs: number): void {
    this.stop();
    this.timer = setInterval(this.tick, intervalMs);
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }
}
