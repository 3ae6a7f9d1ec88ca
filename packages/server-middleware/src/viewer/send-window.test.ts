import { describe, expect, it } from 'vitest';
import { SendWindow } from './send-window';

describe('SendWindow', () => {
  it('is full after `size` frames without acks', () => {
    const window = new SendWindow(3);
    window.sent(1);
    window.sent(2);
    expect(window.isFull).toBe(false);
    window.sent(3);
    expect(window.isFull).toBe(true);
    expect(window.inFlight).toBe(3);
  });

  it('frees the acknowledged frame and every older one', () => {
    let now = 0;
    const window = new SendWindow(4, () => now);
    for (const sequence of [10, 11, 12, 13]) {
      window.sent(sequence, 1_000 + sequence);
      now += 10;
    }
    now = 100;
    // Bytes of 10, 11 and 12 together; the delay and the frame's own bytes are those of 12, sent at 20.
    expect(window.ack(12)).toEqual({ bytes: 3_033, delayMs: 80, frameBytes: 1_012 });
    expect(window.inFlight).toBe(1);
    expect(window.isFull).toBe(false);
  });

  it('ignores an ack for a frame not in flight (stale, after switching videos)', () => {
    const window = new SendWindow(2);
    window.sent(5);
    expect(window.ack(99)).toBeNull();
    expect(window.inFlight).toBe(1);
  });

  it('matches acks on the 32-bit wire sequence', () => {
    const window = new SendWindow(2);
    window.sent(2 ** 32 + 7);
    expect(window.ack(7)).not.toBeNull();
  });
});
