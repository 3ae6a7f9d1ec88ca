import { describe, expect, it } from 'vitest';
import { PcmTimeline } from './pcm-timeline';

describe('PcmTimeline', () => {
  it('places each sample on the clock by the chunk it was written in', () => {
    const timeline = new PcmTimeline(48_000);
    timeline.add(4800, 1000);
    timeline.add(4800, 1100);
    expect(timeline.timeAt(0)).toBe(1000);
    expect(timeline.timeAt(480)).toBe(1010);
    expect(timeline.timeAt(4800)).toBe(1100);
    expect(timeline.timeAt(9599)).toBeCloseTo(1199.98, 2);
  });

  it('keeps the times right across a hole in the timeline (a dropped chunk, a decoder restart)', () => {
    const timeline = new PcmTimeline(48_000);
    timeline.add(4800, 1000);
    timeline.add(4800, 5000);
    expect(timeline.timeAt(4799)).toBeCloseTo(1099.98, 2);
    expect(timeline.timeAt(4800)).toBe(5000);
  });

  it("counts back from the first chunk for samples before it (the encoder's pre-skip)", () => {
    const timeline = new PcmTimeline(48_000);
    expect(timeline.timeAt(0)).toBeNull();
    timeline.add(4800, 1000);
    expect(timeline.timeAt(-312)).toBe(993.5);
  });

  it('forgets the chunks no packet to come can start in, and times what is left the same', () => {
    const timeline = new PcmTimeline(48_000);
    timeline.add(4800, 1000);
    timeline.add(4800, 1100);
    timeline.add(4800, 1200);
    timeline.forgetBefore(5000);
    expect(timeline.timeAt(5000)).toBeCloseTo(1104.17, 2);
    expect(timeline.timeAt(9600)).toBe(1200);
    // The chunk that held sample 5 000 is kept: a later packet may still start in it.
    expect(timeline.timeAt(4800)).toBe(1100);
  });
});
