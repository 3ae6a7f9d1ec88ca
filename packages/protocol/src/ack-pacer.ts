/**
 * When a client acknowledges video frames. Acks are cumulative (acking frame n frees every older frame), so a
 * client need not ack each one: acking the newest every `ackWindow / 4` frames keeps the server's window from
 * ever filling on a healthy link, while both sides handle 1/interval of the messages an ack per frame would
 * cost (each WebSocket message costs about as much CPU as a media frame, on both sides).
 */
export class AckPacer {
  private every = 1;
  private sinceAck = 0;

  /** The frames between two acks for a server window of `ackWindow` frames (from `welcome`). */
  static intervalFor(ackWindow: number): number {
    return Math.max(1, Math.floor(ackWindow / 4));
  }

  /** Call with the `welcome` message's `ackWindow`; until then every frame is acknowledged. */
  setWindow(ackWindow: number): void {
    this.every = AckPacer.intervalFor(ackWindow);
    this.sinceAck = 0;
  }

  /** Call once per video frame received: true when this frame's sequence number should be acknowledged now. */
  shouldAck(): boolean {
    this.sinceAck++;
    if (this.sinceAck < this.every) return false;
    this.sinceAck = 0;
    return true;
  }
}
