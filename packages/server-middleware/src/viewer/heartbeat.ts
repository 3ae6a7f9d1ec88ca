import type { ViewerSession } from './viewer-session';

/**
 * Pings every viewer each interval; one that has not answered the previous ping (with a pong, or an ack of a
 * frame in flight: nothing else proves it reads) is terminated, which frees its channel slot. Runs only while
 * there are viewers.
 */
export class Heartbeat {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly intervalMs: number,
    private readonly sessions: () => Iterable<ViewerSession>,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => this.beat(), this.intervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private beat(): void {
    for (const session of this.sessions()) {
      if (session.alive) session.ping();
      else session.terminate();
    }
  }
}
