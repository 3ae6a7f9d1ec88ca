import { describe, expect, it } from 'vitest';
import { ErrorThrottle } from './error-throttle';

describe('ErrorThrottle', () => {
  const setup = () => {
    let now = 0;
    const reports: [unknown, number][] = [];
    const throttle = new ErrorThrottle(
      1_000,
      (error, heldBack) => reports.push([error, heldBack]),
      () => now,
    );
    return { throttle, reports, advance: (ms: number) => (now += ms) };
  };

  it('reports the first failure at once, then one per interval with how many it held back', () => {
    const { throttle, reports, advance } = setup();
    throttle.add('a');
    for (let i = 0; i < 20; i++) {
      advance(40);
      throttle.add(`retry ${i}`);
    }
    expect(reports).toEqual([['a', 0]]);
    advance(300);
    throttle.add('later');
    expect(reports).toEqual([
      ['a', 0],
      ['later', 20],
    ]);
  });

  it('reports at once again after a reset', () => {
    const { throttle, reports, advance } = setup();
    throttle.add('a');
    advance(10);
    throttle.add('b');
    throttle.reset();
    throttle.add('c');
    expect(reports).toEqual([
      ['a', 0],
      ['c', 0],
    ]);
  });
});
