import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from '../cli-error';
import type { CommandName } from './help-text';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/**
 * `parseArgs` in strict mode, with its errors turned into a `UsageError` for `command`. Node's own message
 * already names the option ("Unknown option '--prot'"); only its advice about `--` is cut, which fits a
 * positional that starts with a dash, not a mistyped flag.
 */
export function parseCommandArgs<T extends OptionsConfig>(command: CommandName, args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(message.replace(/\. To specify a positional argument.*$/s, ''), command);
  }
}
