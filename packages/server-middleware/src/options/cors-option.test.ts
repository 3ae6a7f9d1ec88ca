import { describe, expect, it } from 'vitest';
import { corsOption } from './cors-option';

describe('corsOption', () => {
  it('answers * without credentials to any origin by default, and to requests without one', () => {
    const policy = corsOption(undefined, true);
    expect(policy?.('https://player.example')).toEqual({ allowOrigin: '*', credentials: false });
    expect(policy?.(undefined)).toEqual({ allowOrigin: '*', credentials: false });
  });

  it('sends no CORS headers at all with false', () => {
    expect(corsOption(false, true)).toBeNull();
  });

  it('names an allowed origin back with credentials, exactly, and refuses the rest', () => {
    const policy = corsOption(['https://a.example'], true);
    expect(policy?.('https://a.example')).toEqual({ allowOrigin: 'https://a.example', credentials: true });
    expect(policy?.('https://a.example.evil')).toBeNull();
    expect(policy?.(undefined)).toBeNull();
  });

  it('asks a predicate, which must answer true itself', () => {
    const policy = corsOption((origin: string) => (origin.endsWith('.example') ? true : 'yes'), true);
    expect(policy?.('https://b.example')?.allowOrigin).toBe('https://b.example');
    expect(policy?.('https://b.test')).toBeNull();
  });

  it.each([['*'], [42], [{}], [['https://a.example', 1]]])(
    'throws a TypeError naming cors for %j',
    (value) => {
      expect(() => corsOption(value, true)).toThrow(TypeError);
      expect(() => corsOption(value, true)).toThrow('"cors"');
    },
  );
});
