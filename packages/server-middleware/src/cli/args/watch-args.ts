import { UsageError } from '../cli-error';
import { parseCommandArgs } from './command-args';
import { parseMountUrl, parseSeconds, parseVideoId } from './option-values';

export interface WatchArguments {
  mountUrl: URL;
  /** Default: the first video of the catalog. */
  videoId: string | undefined;
  /** Default: until interrupted. */
  seconds: number | undefined;
  json: boolean;
}

/** `onair watch` arguments (everything after `watch`); `null` when `--help` was asked for. */
export function parseWatchArgs(args: string[]): WatchArguments | null {
  const { values, positionals } = parseCommandArgs('watch', args, {
    video: { type: 'string' },
    seconds: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return null;
  const [url, ...extra] = positionals;
  if (url === undefined)
    throw new UsageError('watch needs the server URL, e.g. http://127.0.0.1:3000/live', 'watch');
  if (extra.length > 0) throw new UsageError(`watch takes one URL, got also: ${extra.join(' ')}`, 'watch');
  return {
    mountUrl: parseMountUrl(url),
    videoId: values.video === undefined ? undefined : parseVideoId(values.video),
    seconds: values.seconds === undefined ? undefined : parseSeconds(values.seconds),
    json: values.json ?? false,
  };
}
