import { describe, expect, it } from 'vitest';
import { RoundTripProbe } from './round-trip-probe';

describe('RoundTripProbe', () => {
  it('times a ping to its pong, one in flight and at most one a second', () => {
    let now = 0;
    const probe = new RoundTripProbe(1_000, () => now);
    const payload = probe.nextPing();
    expect(payload).not.toBeNull();
    now = 30;
    expect(probe.nextPing()).toBeNull();
    now = 45;
    expect(probe.pong(payload!)).toBe(45);
    expect(probe.nextPing()).toBeNull();
    now = 1_000;
    expect(probe.nextPing()).not.toBeNull();
  });

  it("does not time the heartbeat's pongs, which carry no payload", () => {
    let now = 0;
    const probe = new RoundTripProbe(1_000, () => now);
    const payload = probe.nextPing()!;
    now = 20;
    expect(probe.pong(Buffer.alloc(0))).toBeNull();
    now = 50;
    expect(probe.pong(payload)).toBe(50);
    expect(probe.pong(payload)).toBeNull();
  });

  it('sends no second ping while the first is unanswered, however long', () => {
    let now = 0;
    const probe = new RoundTripProbe(1_000, () => now);
    probe.nextPing();
    now = 60_000;
    expect(probe.nextPing()).toBeNull();
  });
});
