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
});
