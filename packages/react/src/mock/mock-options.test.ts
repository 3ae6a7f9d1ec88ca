import { DEFAULT_LADDER } from '@onair/protocol';
import { describe, expect, it } from 'vitest';
import { resolveMockOptions } from './mock-options';

describe('the mock\u2019s default initial rung', () => {
  it('is the server\u2019s rule, Math.floor((ladder.length - 1) / 2): the lower middle of an even ladder', () => {
    for (let rungs = 1; rungs <= 8; rungs++) {
      const ladder = Array.from({ length: rungs }, (_, index) => 30 + index * 10);
      expect(resolveMockOptions({ ladder }).initialRung).toBe(Math.floor((ladder.length - 1) / 2));
    }
    expect(resolveMockOptions({ ladder: [40, 60, 80, 90] }).initialRung).toBe(1);
  });

  it('is rung 2 of the default five, as before', () => {
    expect(DEFAULT_LADDER).toHaveLength(5);
    expect(resolveMockOptions({}).initialRung).toBe(2);
  });
});
