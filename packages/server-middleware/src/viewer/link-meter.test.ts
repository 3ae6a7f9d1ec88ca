import { describe, expect, it } from 'vitest';
import { LinkMeter } from './link-meter';

describe('LinkMeter', () => {
  it('gives the video bytes acknowledged per second over its window, in kbit/s', () => {
    let now = 0;
    const meter = new LinkMeter({ windowMs: 2_000 }, () => now);
    expect(meter.sample()).toBeNull();
    // 25 kB every 100 ms: 2 Mbit/s.
    for (let i = 0; i <= 20; i++) {
      now = i * 100;
      meter.acked(25_000, 50);
    }
    expect(meter.sample()?.kbps).toBeCloseTo(2_000, -1);
    expect(meter.sample()?.limited).toBe(false);
  });

  it('forgets acks older than its window, so a drop shows within it', () => {
    let now = 0;
    const meter = new LinkMeter({ windowMs: 1_000 }, () => now);
    for (let i = 0; i <= 10; i++) {
      now = i * 100;
      meter.acked(50_000, 50);
    }
    for (let i = 11; i <= 30; i++) {
      now = i * 100;
      meter.acked(5_000, 50);
    }
    expect(meter.sample()?.kbps).toBeCloseTo(400, -1);
  });

  it('calls the rate limited by the link only while video was held back for it', () => {
    let now = 0;
    const meter = new LinkMeter({ windowMs: 1_000 }, () => now);
    meter.acked(1_000, 10);
    now = 500;
    meter.acked(1_000, 10);
    meter.heldBack();
    expect(meter.sample()?.limited).toBe(true);
    now = 1_600;
    meter.acked(1_000, 10);
    now = 1_900;
    meter.acked(1_000, 10);
    expect(meter.sample()?.limited).toBe(false);
  });

  it('keeps the smallest ack delay as the base delay, and follows a route change after a while', () => {
    let now = 0;
    const meter = new LinkMeter({ baseDelayMemoryMs: 10_000 }, () => now);
    meter.acked(1, 80);
    meter.acked(1, 40);
    meter.acked(1, 300);
    expect(meter.baseDelayMs).toBe(40);
    now = 11_000;
    meter.acked(1, 150);
    expect(meter.baseDelayMs).toBe(150);
  });

  it("gives a frame's bytes over its delay beyond the round trip as the burst rate, the median of the window", () => {
    let now = 0;
    const meter = new LinkMeter({ windowMs: 1_000, burstSamples: 4 }, () => now);
    // No round trip yet: no burst rate.
    for (let i = 0; i < 4; i++) {
      now += 100;
      meter.acked(10_000, 44);
    }
    expect(meter.sample()?.burstKbps).toBeNull();
    meter.roundTrip(40);
    // 10 kB in 4 ms beyond the round trip: 20 Mbit/s; one frame queued behind another (24 ms) reads 3.3.
    for (const delayMs of [44, 44, 64, 44]) {
      now += 100;
      meter.acked(10_000, delayMs);
    }
    expect(meter.sample()?.burstKbps).toBeCloseTo(20_000, -2);
  });

  it('reads an ack that covers several frames by the acked frame alone', () => {
    let now = 0;
    const meter = new LinkMeter({ windowMs: 400, burstSamples: 1 }, () => now);
    now = 100;
    meter.acked(1_000, 40);
    meter.roundTrip(40);
    now = 200;
    // Four frames of 5 kB acked together; the last crossed in 10 ms: 4 Mbit/s, not 16.
    meter.acked(20_000, 50, 5_000);
    expect(meter.sample()?.burstKbps).toBeCloseTo(4_000, -1);
  });

  it('takes the smallest recent round trip, and forgets it after its memory', () => {
    let now = 0;
    const meter = new LinkMeter({ roundTripMemoryMs: 30_000, burstSamples: 1, windowMs: 400 }, () => now);
    const ackTwice = () => {
      now -= 100;
      meter.acked(10_000, 80);
      now += 100;
      meter.acked(10_000, 80);
    };
    meter.roundTrip(40);
    now = 10_000;
    // A ping queued behind a frame does not raise the round trip.
    meter.roundTrip(70);
    ackTwice();
    expect(meter.sample()?.burstKbps).toBeCloseTo(2_000, -1);
    now = 35_000;
    ackTwice();
    // 40 ms is 35 s old: 70 ms is the round trip now.
    expect(meter.sample()?.burstKbps).toBeCloseTo(8_000, -1);
  });
});
