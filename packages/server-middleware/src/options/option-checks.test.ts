import { describe, expect, it } from 'vitest';
import { ascendingIntegersOption, numberOption, optionError, rateLimitOption } from './option-checks';

describe('option checks', () => {
  it('names the factory, the option, what it must be and what it got', () => {
    expect(optionError('maxFps', 'a number', '30').message).toBe(
      'liveStream: option "maxFps" must be a number, got "30"',
    );
    expect(optionError('historySize', 'an integer', Number.NaN, 'memoryHub').message).toBe(
      'memoryHub: option "historySize" must be an integer, got NaN',
    );
    expect(optionError('authorize', 'a function', () => true).message).toMatch(/got a function$/);
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(optionError('redis', 'a client', circular, 'redisHub')).toBeInstanceOf(TypeError);
  });

  it('takes the fallback when unset, and integers only unless told otherwise', () => {
    expect(numberOption('n', undefined, 7, { min: 1, max: 10 })).toBe(7);
    expect(numberOption('n', 10, 7, { min: 1, max: 10 })).toBe(10);
    expect(() => numberOption('n', 2.5, 7, { min: 1, max: 10 })).toThrow('must be an integer from 1 to 10');
    expect(numberOption('n', 2.5, 7, { min: 1, max: 10, integer: false })).toBe(2.5);
    expect(() => numberOption('n', Number.POSITIVE_INFINITY, 7, { min: 1, max: 10, integer: false })).toThrow(
      'must be a number from 1 to 10',
    );
  });

  it('wants strictly ascending integers in range, and freezes its copy', () => {
    const bounds = { entries: 'heights', maxLength: 3, min: 16, max: 100 };
    const ladder = ascendingIntegersOption('ladder', [16, 50], [20], bounds);
    expect(ladder).toEqual([16, 50]);
    expect(Object.isFrozen(ladder)).toBe(true);
    for (const bad of [[], [50, 50], [16, 50, 60, 70], [15], 'x']) {
      expect(() => ascendingIntegersOption('ladder', bad, [20], bounds)).toThrow(
        'must be an array of 1 to 3 ascending integer heights from 16 to 100',
      );
    }
  });

  it('copies a rate limit without its extra fields', () => {
    const limit = { burst: 2, sustained: 3, windowMs: 1_000, extra: true };
    expect(rateLimitOption('chatRateLimit', limit, { burst: 1, sustained: 1, windowMs: 100 })).toEqual({
      burst: 2,
      sustained: 3,
      windowMs: 1_000,
    });
    expect(() => rateLimitOption('chatRateLimit', null, limit)).toThrow(TypeError);
  });
});
