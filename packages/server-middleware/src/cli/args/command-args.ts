import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from '../cli-error';
import type { CommandName } from './help-text';
import { nearestName } from './nearest-name';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/**
 * `parseArgs` in strict mode, with its errors turned into a `UsageError` for `command`. An unknown flag is
 * answered with the command's nearest one ("unknown flag --hsl; did you mean --hls?"); Node's advice about `--`
 * is cut, which fits a positional that starts with a dash, not a mistyped flag.
 */
export function parseCommandArgs<T extends OptionsConfig>(command: CommandName, args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const unknown = /^Unknown option '(-{1,2})([^']*)'/.exec(message);
    if (unknown?.[1] && unknown[2] !== undefined)
      throw new UsageError(unknownFlagMessage(unknown[1], unknown[2], options), command);
    throw new UsageError(message.replace(/\. To specify a positional argument.*$/s, ''), command);
  }
}

function unknownFlagMessage(dashes: string, name: string, options: OptionsConfig): string {
  const typed = `${dashes}${name}`;
  // A one-letter flag with one dash is compared with the short forms; anything else with the long names.
  const short = dashes === '-' && name.length === 1;
  const candidates = short
    ? Object.values(options).flatMap((option) => (option.short ? [option.short] : []))
    : Object.keys(options);
  const match = nearestName(name, candidates);
  if (match === undefined) return `unknown flag ${typed}`;
  return `unknown flag ${typed}; did you mean ${short ? '-' : '--'}${match}?`;
}
