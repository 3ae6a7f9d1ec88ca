/** What the round-trip pings carry: the heartbeat's carry nothing, and are not timed (RFC 6455 echoes it). */
const PAYLOAD = Buffer.from('rtt');

/**
 * Times one viewer's round trip with WebSocket pings, about once a second while it acks video, one in flight at a
 * time. The player's network stack answers a ping by itself, at once, so a pong's time is the path's, without the
 * page's own delays that an ack carries (`LinkMeter.roundTrip`).
 */
export class RoundTripProbe {
  private sentAt: number | null = null;
  private lastSentAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly intervalMs = 1_000,
    private readonly now: () => number = performance.now.bind(performance),
  ) {}

  /** The payload of a ping to send now, or null: one is in flight, or the last went out under a second ago. */
  nextPing(): Buffer | null {
    const now = this.now();
    if (this.sentAt !== null || now - this.lastSentAt < this.intervalMs) return null;
    this.sentAt = now;
    this.lastSentAt = now;
    return PAYLOAD;
  }

  /** A pong came with `payload`: the round trip in ms if it answers this probe's ping, else null. */
  pong(payload: Buffer): number | null {
    if (this.sentAt === null || !payload.equals(PAYLOAD)) return null;
    const ms = this.now() - this.sentAt;
    this.sentAt = null;
    return ms;
  }
}
