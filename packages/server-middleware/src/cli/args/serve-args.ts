import { UsageError } from '../cli-error';
import { parseCommandArgs } from './command-args';
import { parseHost, parseMount, parsePort } from './option-values';

export interface ServeArguments {
  /** As given; resolved against the working directory by the middleware, like any host's paths. */
  videos: string[];
  port: number;
  host: string;
  mount: string;
  hls: boolean;
}

const SERVE_DEFAULTS = { port: 3000, host: '127.0.0.1', mount: '/live' } as const;

/** `onair serve` arguments (everything after `serve`); `null` when `--help` was asked for. */
export function parseServeArgs(args: string[]): ServeArguments | null {
  const { values, positionals } = parseCommandArgs('serve', args, {
    port: { type: 'string', short: 'p' },
    host: { type: 'string' },
    mount: { type: 'string' },
    hls: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return null;
  if (positionals.length === 0) throw new UsageError('serve needs at least one video file', 'serve');
  return {
    videos: positionals,
    port: values.port === undefined ? SERVE_DEFAULTS.port : parsePort(values.port),
    host: values.host === undefined ? SERVE_DEFAULTS.host : parseHost(values.host),
    mount: values.mount === undefined ? SERVE_DEFAULTS.mount : parseMount(values.mount),
    hls: values.hls ?? false,
  };
}
