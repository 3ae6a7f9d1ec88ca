import { describe, expect, it } from 'vitest';
import { nextStatus } from './stream-transitions';

describe('nextStatus', () => {
  it('allows scheduled → live → ended and scheduled → cancelled, nothing else', () => {
    const table = (['scheduled', 'live', 'ended', 'cancelled'] as const).map((status) => [
      status,
      nextStatus(status, 'start'),
      nextStatus(status, 'end'),
    ]);
    expect(table).toEqual([
      ['scheduled', 'live', 'cancelled'],
      ['live', null, 'ended'],
      ['ended', null, null],
      ['cancelled', null, null],
    ]);
  });
});
