import { describe, expect, it } from 'vitest';
import { RealTimeAnchor } from './real-time-anchor';

describe('RealTimeAnchor', () => {
  it('leaves media that arrives on time, or a little late, where its count put it', () => {
    let now = 1_000;
    const anchor = new RealTimeAnchor(100, () => now);
    expect(anchor.place(1_000, 0)).toBe(1_000);
    now = 1_090;
    expect(anchor.place(1_000, 0)).toBe(1_000);
    // An audio chunk is late only by what arrives after its last sample.
    now = 1_150;
    expect(anchor.place(1_000, 100)).toBe(1_000);
    expect(anchor.jumps).toBe(0);
  });

  it('moves picture and sound forward together when either falls behind', () => {
    let now = 0;
    const anchor = new RealTimeAnchor(100, () => now);
    // A frame counted to 1 s arrives at 2.5 s: it goes on air now, and the offset stays for what follows.
    now = 2_500;
    expect(anchor.place(1_000, 0)).toBe(2_500);
    expect(anchor.jumps).toBe(1);
    // The sound of the same moment, arriving with it, moves by the same 1.5 s.
    expect(anchor.place(900, 100)).toBe(2_400);
    // The next frame arrives on time for the moved timeline: no second jump.
    now = 2_550;
    expect(anchor.place(1_050, 0)).toBe(2_550);
    expect(anchor.jumps).toBe(1);
  });

  it('never moves media backwards: media ahead of the clock keeps its time', () => {
    let now = 0;
    const anchor = new RealTimeAnchor(100, () => now);
    now = 500;
    expect(anchor.place(0, 0)).toBe(500);
    now = 100;
    expect(anchor.place(2_000, 0)).toBe(2_500);
  });
});
