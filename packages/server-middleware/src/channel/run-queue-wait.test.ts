import { describe, expect, it } from 'vitest';
import { procRunQueueWait } from './run-queue-wait';

describe('procRunQueueWait', () => {
  it('reads the event loop’s wait for a CPU on Linux as a share of the time between two takes', async () => {
    const watch = procRunQueueWait();
    expect(watch).not.toBeNull();
    expect(watch?.take(Date.now())).toBeNull();
    // Busy for a while, so the scheduler has something to count either way.
    const until = Date.now() + 50;
    while (Date.now() < until);
    const share = watch?.take(Date.now());
    expect(share).toBeGreaterThanOrEqual(0);
    expect(share).toBeLessThanOrEqual(1);
  });
});
