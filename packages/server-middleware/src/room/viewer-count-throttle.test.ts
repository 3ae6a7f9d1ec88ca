import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ViewerCountThrottle } from './viewer-count-throttle';

describe('ViewerCountThrottle', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends the first change at once, coalesces the rest, and never repeats the count the room has', () => {
    const sent: number[] = [];
    const throttle = new ViewerCountThrottle(1_000, (_streamId, count) => sent.push(count));
    throttle.update('a', 2);
    throttle.update('a', 3);
    throttle.update('a', 2);
    vi.advanceTimersByTime(1_000);
    expect(sent).toEqual([2]);
    throttle.close();
  });

  it('tells a viewer who joined meanwhile that the count went back to what the others already had', () => {
    const sent: number[] = [];
    const throttle = new ViewerCountThrottle(1_000, (_streamId, count) => sent.push(count));
    throttle.update('a', 2);
    // Someone joins: 3, held back by the interval; the joiner's `room` message says 3.
    throttle.update('a', 3);
    throttle.told('a', 3);
    // Someone else leaves before the interval is over: back to 2, which the joiner never heard.
    throttle.update('a', 2);
    vi.advanceTimersByTime(1_000);
    expect(sent).toEqual([2, 2]);
    throttle.close();
  });

  it('sends nothing more for a joiner told the count the room already has', () => {
    const sent: number[] = [];
    const throttle = new ViewerCountThrottle(1_000, (_streamId, count) => sent.push(count));
    throttle.update('a', 2);
    throttle.told('a', 2);
    vi.advanceTimersByTime(5_000);
    expect(sent).toEqual([2]);
    throttle.close();
  });
});
