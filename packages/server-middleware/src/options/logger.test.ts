import { describe, expect, expectTypeOf, it } from 'vitest';
import { resolveOptions } from './live-stream-options';
import { type LiveStreamLogger, type ObjectFirstLogger, pinoLogger } from './logger';

/** pino's `LogFn` as its typings declare it: object first, message second (or a message alone). */
interface PinoLogFn {
  <T extends object>(obj: T, msg?: string, ...args: unknown[]): void;
  (obj: unknown, msg?: string, ...args: unknown[]): void;
  (msg: string, ...args: unknown[]): void;
}

/** A stand-in for `pino()` (pino is not a dependency here): its method signature and its registered symbol. */
function fakePino() {
  const lines: { level: string; obj: unknown; msg: unknown }[] = [];
  const method =
    (level: string): PinoLogFn =>
    (obj: unknown, msg?: unknown) =>
      lines.push({ level, obj, msg });
  const logger = {
    [Symbol.for('pino.serializers')]: {},
    fatal: method('fatal'),
    error: method('error'),
    warn: method('warn'),
    info: method('info'),
    debug: method('debug'),
    trace: method('trace'),
  };
  return { logger, lines };
}

describe('the logger option', () => {
  it('takes a pino logger as it is and gives it the details first, the message second', () => {
    const { logger, lines } = fakePino();
    expectTypeOf(logger).toExtend<LiveStreamLogger>();
    const resolved = resolveOptions({ logger }).logger;
    resolved.warn('decoder exited; restarting', { videoId: 'a', pid: 42 });
    resolved.info?.('ffmpeg in use', { version: '7.1' });
    expect(lines).toEqual([
      { level: 'warn', obj: { videoId: 'a', pid: 42 }, msg: 'decoder exited; restarting' },
      { level: 'info', obj: { version: '7.1' }, msg: 'ffmpeg in use' },
    ]);
  });

  it('passes a (message, details) logger through untouched', () => {
    const logger = { error() {}, warn() {} };
    expect(resolveOptions({ logger }).logger).toBe(logger);
  });
});

describe('pinoLogger', () => {
  it('adapts any object-first logger, passing an Error detail as `err` for its serializer', () => {
    const { logger, lines } = fakePino();
    expectTypeOf(logger).toExtend<ObjectFirstLogger>();
    const { [Symbol.for('pino.serializers')]: _, ...bunyanLike } = logger;
    const adapted = pinoLogger(bunyanLike);
    const error = new Error('EPIPE');
    adapted.error('request failed', { error, path: '/live/videos' });
    adapted.error('no details');
    adapted.error('both', { error, err: 'kept' });
    expect(lines).toEqual([
      { level: 'error', obj: { err: error, path: '/live/videos' }, msg: 'request failed' },
      { level: 'error', obj: {}, msg: 'no details' },
      { level: 'error', obj: { error, err: 'kept' }, msg: 'both' },
    ]);
  });

  it('leaves out the levels the logger does not have', () => {
    const adapted = pinoLogger({ error() {}, warn() {} });
    expect(adapted.info).toBeUndefined();
    expect(adapted.debug).toBeUndefined();
  });
});
