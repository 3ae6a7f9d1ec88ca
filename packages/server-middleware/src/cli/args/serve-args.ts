import { UsageError } from '../cli-error';
import { parseCommandArgs } from './command-args';
import { parseHost, parseMaxFps, parseMaxHeight, parseMount, parsePort, parseServeId } from './option-values';

export interface ServeArguments {
  /** As given; resolved against the working directory by the middleware, like any host's paths. */
  videos: string[];
  /** `--id`, in order: the nth names the nth video; videos after the last keep their default id. */
  ids: string[];
  /** `--title`, in order, like `ids`. */
  titles: string[];
  port: number;
  host: string;
  mount: string;
  hls: boolean;
  /** `liveStream`'s `maxFps`; null for its default. */
  maxFps: number | null;
  /** `liveStream`'s `maxHeight`; null for the source size. */
  maxHeight: number | null;
}

export interface ServeArgsSettings {
  /** False for `npm start`, which streams its samples when given no video. */
  videosRequired: boolean;
  port: number;
  host: string;
}

const SERVE_DEFAULTS: ServeArgsSettings = { videosRequired: true, port: 3000, host: '127.0.0.1' };
const DEFAULT_MOUNT = '/live';

/** `onair serve` arguments (everything after `serve`); `null` when `--help` was asked for. */
export function parseServeArgs(
  args: string[],
  settings: Partial<ServeArgsSettings> = {},
): ServeArguments | null {
  const { videosRequired, port, host } = { ...SERVE_DEFAULTS, ...settings };
  const { values, positionals } = parseCommandArgs('serve', args, {
    port: { type: 'string', short: 'p' },
    host: { type: 'string' },
    mount: { type: 'string' },
    hls: { type: 'boolean' },
    'max-fps': { type: 'string' },
    'max-height': { type: 'string' },
    id: { type: 'string', multiple: true },
    title: { type: 'string', multiple: true },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return null;
  if (videosRequired && positionals.length === 0)
    throw new UsageError('serve needs at least one video file', 'serve');
  const ids = (values.id ?? []).map(parseServeId);
  const titles = values.title ?? [];
  // With no video given (`npm start`), names go to the videos the caller picks; it checks their count.
  for (const [flag, list] of [
    ['--id', ids],
    ['--title', titles],
  ] as const) {
    if (positionals.length > 0 && list.length > positionals.length) {
      throw new UsageError(
        `${list.length} ${flag} given for ${positionals.length} video(s): the nth ${flag} names the nth video`,
        'serve',
      );
    }
  }
  if (titles.some((title) => title.trim() === '')) throw new UsageError('--title must not be empty', 'serve');
  return {
    videos: positionals,
    ids,
    titles,
    port: values.port === undefined ? port : parsePort(values.port),
    host: values.host === undefined ? host : parseHost(values.host),
    mount: values.mount === undefined ? DEFAULT_MOUNT : parseMount(values.mount),
    hls: values.hls ?? false,
    maxFps: values['max-fps'] === undefined ? null : parseMaxFps(values['max-fps']),
    maxHeight: values['max-height'] === undefined ? null : parseMaxHeight(values['max-height']),
  };
}
