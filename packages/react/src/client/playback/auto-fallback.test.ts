import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AutoFallback } from './auto-fallback';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('AutoFallback', () => {
  it('falls back after the configured number of failed first connections', () => {
    const onFallBack = vi.fn();
    const fallback = new AutoFallback({ attempts: 2, timeoutMs: 5_000 }, onFallBack);
    fallback.arm();
    fallback.connectionFailed();
    expect(onFallBack).not.toHaveBeenCalled();
    fallback.connectionFailed();
    expect(onFallBack).toHaveBeenCalledTimes(1);
    fallback.connectionFailed();
    expect(onFallBack).toHaveBeenCalledTimes(2);
  });

  it('falls back when no welcome arrives before the timeout', () => {
    const onFallBack = vi.fn();
    new AutoFallback({ attempts: 2, timeoutMs: 5_000 }, onFallBack).arm();
    vi.advanceTimersByTime(4_999);
    expect(onFallBack).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onFallBack).toHaveBeenCalledTimes(1);
  });

  it('stays on a WebSocket that has worked once, however it fails later', () => {
    const onFallBack = vi.fn();
    const fallback = new AutoFallback({ attempts: 1, timeoutMs: 5_000 }, onFallBack);
    fallback.arm();
    fallback.connected();
    fallback.connectionFailed();
    vi.advanceTimersByTime(10_000);
    expect(onFallBack).not.toHaveBeenCalled();
  });
});
