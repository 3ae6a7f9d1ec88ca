import { optionError } from './option-checks';

/**
 * Any console-like logger: each method takes the message, then `details`, a plain object of context (video id,
 * pid, exit code), as `console` and winston do. What goes where: `error` for failures of the server (a JPEG
 * encode, a request, the hub, an `authorize` hook that threw or answered nonsense); `warn` for failures it
 * recovers from (a decoder or HLS packager that died and restarts, a background probe that failed, an ffmpeg
 * older than the tested minimum); `info` for the ffmpeg in use, and a channel's decoder and an HLS packager
 * starting and stopping; `debug` is not called yet. The default console logger prints `error` and `warn` only.
 * A logger that takes the object first (pino, bunyan) goes through `pinoLogger`; a pino logger is wrapped in it
 * by `liveStream()` itself.
 */
export interface LiveStreamLogger {
  error(message: string, details?: Record<string, unknown>): void;
  warn(message: string, details?: Record<string, unknown>): void;
  info?(message: string, details?: Record<string, unknown>): void;
  debug?(message: string, details?: Record<string, unknown>): void;
}

/** One method of a logger that takes the context object first and the message second (pino's `LogFn`). */
export type ObjectFirstLogFn = (details: object, message: string) => void;

/** A pino or bunyan logger, as far as `pinoLogger` uses it. */
export interface ObjectFirstLogger {
  error: ObjectFirstLogFn;
  warn: ObjectFirstLogFn;
  info?: ObjectFirstLogFn;
  debug?: ObjectFirstLogFn;
}

// Pino's documented `logger[Symbol.for('pino.serializers')]`: a registered symbol, so it is found whatever pino
// version or copy made the logger, and nothing else carries it.
const PINO_SERIALIZERS = Symbol.for('pino.serializers');

/** True for a pino logger (or a child of one). */
export function isPinoLogger(value: object): boolean {
  return PINO_SERIALIZERS in value;
}

// Pino and bunyan serialize an Error with its message and stack only under `err` (their convention); under
// another key it becomes `{}`.
function objectFirstDetails(details: Record<string, unknown> | undefined): object {
  if (details === undefined) return {};
  const { error, ...rest } = details;
  return error instanceof Error && !('err' in details) ? { ...rest, err: error } : details;
}

/**
 * A `LiveStreamLogger` that writes to a logger whose methods take `(details, message)`: pino, bunyan, or a
 * child of either. An `error` detail that is an Error is passed as `err`, so their error serializer shows its
 * message and stack. `liveStream({ logger: pino() })` wraps a pino logger by itself; bunyan needs
 * `logger: pinoLogger(bunyan)`.
 */
export function pinoLogger(logger: ObjectFirstLogger): LiveStreamLogger {
  const level =
    (method: ObjectFirstLogFn) =>
    (message: string, details?: Record<string, unknown>): void =>
      method.call(logger, objectFirstDetails(details), message);
  const { info, debug } = logger;
  return {
    error: level(logger.error),
    warn: level(logger.warn),
    ...(typeof info === 'function' ? { info: level(info) } : {}),
    ...(typeof debug === 'function' ? { debug: level(debug) } : {}),
  };
}

const consoleLogger: LiveStreamLogger = {
  error: (message, details) => console.error(`[onair] ${message}`, details ?? ''),
  warn: (message, details) => console.warn(`[onair] ${message}`, details ?? ''),
};

const silentLogger: LiveStreamLogger = { error() {}, warn() {} };

/** The `logger` option: the console by default, nothing for `false`, a pino logger through `pinoLogger`. */
export function resolveLogger(value: LiveStreamLogger | false | undefined): LiveStreamLogger {
  if (value === undefined) return consoleLogger;
  if (value === false) return silentLogger;
  if (typeof value !== 'object' || value === null)
    throw optionError('logger', 'a logger object or false', value);
  if (typeof value.error !== 'function' || typeof value.warn !== 'function') {
    throw optionError('logger', 'an object with error() and warn() methods', value);
  }
  return isPinoLogger(value) ? pinoLogger(value as unknown as ObjectFirstLogger) : value;
}
