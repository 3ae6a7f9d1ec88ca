import { describe, expect, it } from 'vitest';
import { RealTimeAnchor } from './real-time-anchor';

const AHEAD = { startMs: 50, settleMs: 1_000, steadyMs: 300 };

describe('RealTimeAnchor', () => {
  it('leaves media that arrives on time, a little late or a little early, where its count put it', () => {
    let now = 1_000;
    const anchor = new RealTimeAnchor(100, AHEAD, () => now);
    expect(anchor.place('video', 1_000, 0)).toBe(1_000);
    now = 1_090;
    expect(anchor.place('video', 1_033, 0)).toBe(1_033);
    // An audio chunk is late only by what arrives after its last sample.
    now = 1_150;
    expect(anchor.place('audio', 1_000, 100)).toBe(1_000);
    // Once settled, a lump of frames arriving together (a recorder's chunk) runs ahead of the clock, within the
    // steady bound.
    now = 2_100;
    expect(anchor.place('video', 2_100, 0)).toBe(2_100);
    expect(anchor.place('video', 2_366, 0)).toBe(2_366);
  });

  it('moves picture and sound forward together when either falls behind', () => {
    let now = 0;
    const anchor = new RealTimeAnchor(100, AHEAD, () => now);
    // A frame counted to 1 s arrives at 2.5 s: it goes on air now, and the offset stays for what follows.
    now = 2_500;
    expect(anchor.place('video', 1_000, 0)).toBe(2_500);
    // The sound of the same moment, arriving with it, moves by the same 1.5 s.
    expect(anchor.place('audio', 900, 100)).toBe(2_400);
    // The next frame arrives on time for the moved timeline: no second jump.
    now = 2_550;
    expect(anchor.place('video', 1_050, 0)).toBe(2_550);
  });

  it('skips what a starting decoder outputs ahead of the clock (a second of cached stream at once), so what follows is live', () => {
    let now = 10_000;
    const anchor = new RealTimeAnchor(100, AHEAD, () => now);
    // A new decoder's first second arrives at once, picture and sound of each moment together.
    const frames: (number | null)[] = [];
    const chunks: (number | null)[] = [];
    for (let ms = 0; ms < 1_000; ms += 100) {
      frames.push(anchor.place('video', now + ms, 0));
      chunks.push(anchor.place('audio', now + ms, 100));
    }
    expect(frames).toEqual([10_000, ...Array(9).fill(null)]);
    expect(chunks).toEqual([10_000, ...Array(9).fill(null)]);
    // The next moment of the count, arriving in real time, is on air within the start bound of its arrival, and
    // follows what each track sent.
    now = 10_100;
    const frame = anchor.place('video', 11_000, 0) as number;
    const chunk = anchor.place('audio', 11_000, 100) as number;
    expect(frame - now).toBeLessThanOrEqual(50);
    expect(frame).toBeGreaterThan(10_000);
    expect(chunk).toBe(frame);
    expect(chunk).toBeGreaterThanOrEqual(10_100);
  });

  it('after a stall and the burst that follows it, keeps at most the steady bound of lead, and no track steps back', () => {
    let now = 20_000;
    const anchor = new RealTimeAnchor(100, AHEAD, () => now);
    anchor.place('video', 20_000, 0);
    // Settled; the input stalls for 1 s: the frame after it arrives late, and the timeline moves forward.
    now = 21_500;
    expect(anchor.place('video', 20_500, 0)).toBe(21_500);
    // The stalled second then arrives at once: up to the steady bound ahead it is sent, beyond it skipped.
    const sent = [20_600, 20_700, 20_800, 20_900, 21_000, 21_100].map((ms) => anchor.place('video', ms, 0));
    expect(sent).toEqual([21_600, 21_700, 21_800, null, null, null]);
    now = 21_533;
    const next = anchor.place('video', 21_133, 0) as number;
    expect(next).toBeGreaterThan(21_800);
    expect(next - now).toBeLessThanOrEqual(300);
  });
});
