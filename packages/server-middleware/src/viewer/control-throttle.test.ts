import { afterEach, describe, expect, it, vi } from 'vitest';
import { ControlThrottle } from './control-throttle';

const LIMIT = { burst: 3, sustained: 10, windowMs: 1_000 };

function throttle() {
  const ran: string[] = [];
  const refusals: number[] = [];
  const gate = new ControlThrottle({ limit: LIMIT, refuse: (waitMs) => refusals.push(waitMs) });
  const admit = (type: 'catalog' | 'select' | 'quality' | null, label: string) =>
    gate.admit(type, () => ran.push(label));
  return { gate, ran, refusals, admit };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('ControlThrottle', () => {
  it('runs requests at once within the burst', () => {
    const { ran, admit } = throttle();
    admit('select', 'a');
    admit('catalog', 'b');
    admit(null, 'c');
    expect(ran).toEqual(['a', 'b', 'c']);
  });

  it('runs only the newest of a flood of one type, when the next token comes', () => {
    vi.useFakeTimers();
    const { gate, ran, admit } = throttle();
    for (let n = 0; n < 1_000; n++) admit('select', `select ${n}`);
    expect(ran).toEqual(['select 0', 'select 1', 'select 2']);
    vi.advanceTimersByTime(100);
    expect(ran).toEqual(['select 0', 'select 1', 'select 2', 'select 999']);
    expect(gate.counts.coalesced).toBe(996);
    vi.advanceTimersByTime(5_000);
    expect(ran).toHaveLength(4);
  });

  it('keeps the newest of each type, in the order they last came', () => {
    vi.useFakeTimers();
    const { ran, admit } = throttle();
    for (let n = 0; n < 3; n++) admit('catalog', `burst ${n}`);
    admit('select', 'select 1');
    admit('quality', 'quality 1');
    admit('select', 'select 2');
    vi.advanceTimersByTime(1_000);
    expect(ran.slice(3)).toEqual(['quality 1', 'select 2']);
  });

  it('refuses other requests past the burst, and says so at most once a second', () => {
    vi.useFakeTimers();
    const { gate, ran, refusals, admit } = throttle();
    for (let n = 0; n < 50; n++) admit(null, `hello ${n}`);
    expect(ran).toHaveLength(3);
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toBeGreaterThan(0);
    expect(gate.counts.refused).toBe(47);
    vi.advanceTimersByTime(1_000);
    admit(null, 'later');
    expect(ran.at(-1)).toBe('later');
  });

  it('runs nothing after stop', () => {
    vi.useFakeTimers();
    const { gate, ran, admit } = throttle();
    for (let n = 0; n < 5; n++) admit('select', `select ${n}`);
    gate.stop();
    vi.advanceTimersByTime(5_000);
    admit('select', 'after');
    expect(ran).toHaveLength(3);
  });
});
