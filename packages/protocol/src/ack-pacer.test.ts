import { describe, expect, it } from 'vitest';
import { AckPacer } from './ack-pacer';

describe('AckPacer', () => {
  it('acks every frame until the window is known', () => {
    const pacer = new AckPacer();
    expect([1, 2, 3].map(() => pacer.shouldAck())).toEqual([true, true, true]);
  });

  it('acks the newest frame every ackWindow / 4 frames, never less than every frame', () => {
    const pacer = new AckPacer();
    pacer.setWindow(10);
    expect(Array.from({ length: 6 }, () => pacer.shouldAck())).toEqual([
      false,
      true,
      false,
      true,
      false,
      true,
    ]);
    expect([1, 3, 4, 8, 10, 12, 120].map((window) => AckPacer.intervalFor(window))).toEqual([
      1, 1, 1, 2, 2, 3, 30,
    ]);
  });

  it('keeps the server window open: frames in flight never exceed the interval on a healthy link', () => {
    const pacer = new AckPacer();
    pacer.setWindow(10);
    let inFlight = 0;
    let most = 0;
    for (let frame = 0; frame < 100; frame++) {
      inFlight++;
      most = Math.max(most, inFlight);
      if (pacer.shouldAck()) inFlight = 0;
    }
    expect(most).toBe(AckPacer.intervalFor(10));
    expect(most).toBeLessThan(10);
  });
});
