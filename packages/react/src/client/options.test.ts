import { describe, expect, it } from 'vitest';
import { readPackageFile } from '../test-support/package-file';
import {
  DEFAULT_CLIENT_OPTIONS,
  type LiveStreamClientOptions,
  resolveClientOptions,
  validateClientOptions,
} from './options';

const validate = (options: Partial<LiveStreamClientOptions>) => () =>
  validateClientOptions({ url: '/live', ...options });

describe('validateClientOptions', () => {
  it('refuses a bad reconnect backoff with a TypeError naming the field', () => {
    expect(validate({ reconnect: { jitter: 5 } })).toThrow(TypeError);
    expect(validate({ reconnect: { jitter: 5 } })).toThrow(/`reconnect\.jitter` must be between 0 and 1/);
    expect(validate({ reconnect: { maxAttempts: -1 } })).toThrow(/`reconnect\.maxAttempts`/);
    expect(validate({ reconnect: { maxAttempts: 1.5 } })).toThrow(/`reconnect\.maxAttempts`/);
    expect(validate({ reconnect: { initialDelayMs: -10 } })).toThrow(/`reconnect\.initialDelayMs`/);
    expect(validate({ reconnect: { maxDelayMs: Number.NaN } })).toThrow(/`reconnect\.maxDelayMs`/);
    expect(validate({ reconnect: { factor: 0.5 } })).toThrow(/`reconnect\.factor`/);
    expect(validate({ reconnect: { jitter: '0.5' as unknown as number } })).toThrow(/`reconnect\.jitter`/);
    expect(validate({ reconnect: 3 as unknown as LiveStreamClientOptions['reconnect'] })).toThrow(
      /`reconnect` must be an object/,
    );
  });

  it('accepts any backoff within the limits, Infinity attempts included', () => {
    expect(
      validate({ reconnect: { jitter: 0, maxAttempts: 0, factor: 1, initialDelayMs: 0 } }),
    ).not.toThrow();
    expect(validate({ reconnect: { jitter: 1, maxAttempts: Number.POSITIVE_INFINITY } })).not.toThrow();
    expect(validate({ reconnect: { jitter: undefined } })).not.toThrow();
  });
});

describe('resolveClientOptions', () => {
  it('fills in every default from DEFAULT_CLIENT_OPTIONS, field by field in the nested ones', () => {
    expect(resolveClientOptions({ url: '/live' })).toEqual(DEFAULT_CLIENT_OPTIONS);
    const resolved = resolveClientOptions({
      url: '/live',
      videoBufferMs: undefined,
      reconnect: { jitter: 0, maxAttempts: undefined },
      room: { maxChatMessages: 50 },
    });
    expect(resolved.videoBufferMs).toBe(150);
    expect(resolved.reconnect).toEqual({ ...DEFAULT_CLIENT_OPTIONS.reconnect, jitter: 0 });
    expect(resolved.room).toEqual({ ...DEFAULT_CLIENT_OPTIONS.room, maxChatMessages: 50 });
  });

  it('is the object the README quotes', () => {
    const readme = readPackageFile('README.md');
    expect(readme).toContain(formatDefaults(DEFAULT_CLIENT_OPTIONS));
  });
});

/** The defaults as the README's code block writes them: one option a line, a nested group on one line. */
function formatDefaults(defaults: object): string {
  const value = (entry: unknown): string => {
    if (typeof entry === 'string') return `'${entry}'`;
    if (typeof entry === 'number') {
      return Number.isFinite(entry) ? String(entry).replace(/\B(?=(\d{3})+(?!\d))/g, '_') : 'Infinity';
    }
    const fields = Object.entries(entry as object).map(([name, field]) => `${name}: ${value(field)}`);
    return `{ ${fields.join(', ')} }`;
  };
  const lines = Object.entries(defaults).map(([name, entry]) => `  ${name}: ${value(entry)},`);
  return ['{', ...lines, '}'].join('\n');
}
