import { describe, expect, it } from 'vitest';
import { SimulatedBuffer } from './simulated-buffer';

// Frames 33 ms apart on the channel clock, arriving with the latency given.
const frame = (sequence: number) => ({ sequence, timestamp: 1_000_000 + sequence * 33 });

describe('SimulatedBuffer', () => {
  it('holds the playout delay after the first frame and drains as time passes without frames', () => {
    const buffer = new SimulatedBuffer(150);
    buffer.receive(frame(0), 5_000);
    expect(buffer.bufferedMs(5_000)).toBe(150);
    expect(buffer.level(5_000)).toBe(1);
    expect(buffer.bufferedMs(5_100)).toBe(50);
    expect(buffer.bufferedMs(5_400)).toBe(0);
  });

  it('stays full while frames arrive on time', () => {
    const buffer = new SimulatedBuffer(150);
    for (let sequence = 0; sequence < 30; sequence++) {
      expect(buffer.receive(frame(sequence), 5_000 + sequence * 33)).toEqual({ skipped: 0, late: false });
    }
    expect(buffer.bufferedMs(5_000 + 29 * 33)).toBe(150);
  });

  it('at a reduced rate, counts each frame as standing until the next and the frames left out as not lost', () => {
    const buffer = new SimulatedBuffer(150);
    buffer.setRates(30, 5);
    // Every sixth frame of the channel, 200 ms apart, arriving on time.
    for (let sequence = 0; sequence <= 30; sequence += 6) {
      expect(buffer.receive(frame(sequence), 5_000 + sequence * 33)).toEqual({ skipped: 0, late: false });
    }
    // Just before the next is due the last frame still stands: read at 30 fps this buffer was empty.
    expect(buffer.bufferedMs(5_000 + 30 * 33 + 190)).toBeGreaterThan(100);
    // A frame missing at that rate is one lost.
    expect(buffer.receive(frame(42), 5_000 + 42 * 33).skipped).toBe(6);
    buffer.setRates(30, 30);
    expect(buffer.receive(frame(45), 5_000 + 45 * 33).skipped).toBe(2);
  });

  it('counts the frames missing from a gap in sequence numbers as skipped', () => {
    const buffer = new SimulatedBuffer(150);
    buffer.receive(frame(10), 5_000);
    expect(buffer.receive(frame(14), 5_132).skipped).toBe(3);
    expect(buffer.receive(frame(15), 5_165).skipped).toBe(0);
  });

  it('counts across the 32-bit wrap of sequence numbers, and not a restart as losses', () => {
    const buffer = new SimulatedBuffer(150);
    buffer.receive({ sequence: 0xffff_fffe, timestamp: 0 }, 0);
    expect(buffer.receive({ sequence: 1, timestamp: 99 }, 99).skipped).toBe(2);
    expect(buffer.receive({ sequence: 0, timestamp: 132 }, 132).skipped).toBe(0);
  });

  it('marks a frame that arrives after its playout time as late', () => {
    const buffer = new SimulatedBuffer(150);
    buffer.receive(frame(0), 5_000);
    // Due at 5 033 + 150; it arrives 200 ms after that.
    expect(buffer.receive(frame(1), 5_383).late).toBe(true);
  });

  it('starts over after reset: the next frame sets the playout clock and sequences are not compared', () => {
    const buffer = new SimulatedBuffer(150);
    buffer.receive(frame(0), 5_000);
    buffer.reset();
    expect(buffer.bufferedMs(9_000)).toBe(0);
    expect(buffer.receive(frame(500), 9_000)).toEqual({ skipped: 0, late: false });
    expect(buffer.bufferedMs(9_000)).toBe(150);
  });
});
