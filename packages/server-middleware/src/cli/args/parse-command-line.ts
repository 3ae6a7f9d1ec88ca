import { UsageError } from '../cli-error';
import { COMMAND_NAMES, type CommandName } from './help-text';
import { parseServeArgs, type ServeArguments } from './serve-args';
import { parseWatchArgs, type WatchArguments } from './watch-args';

export type CommandLine =
  | { kind: 'help'; command: CommandName | undefined }
  | { kind: 'version' }
  | { kind: 'serve'; args: ServeArguments }
  | { kind: 'watch'; args: WatchArguments };

function isCommandName(name: string): name is CommandName {
  return (COMMAND_NAMES as readonly string[]).includes(name);
}

/** Reads `onair …` (argv without node and the script); throws a `UsageError` for anything it cannot read. */
export function parseCommandLine(argv: readonly string[]): CommandLine {
  const [first, ...rest] = argv;
  if (first === undefined) throw new UsageError('missing command: serve or watch');
  if (first === '-h' || first === '--help') return { kind: 'help', command: undefined };
  if (first === '-v' || first === '--version') return { kind: 'version' };
  if (first === 'help') {
    const [topic] = rest;
    if (topic !== undefined && !isCommandName(topic))
      throw new UsageError(`no help for unknown command "${topic}"`);
    return { kind: 'help', command: topic };
  }
  if (first.startsWith('-')) throw new UsageError(`unknown option "${first}" (options go after the command)`);
  if (!isCommandName(first)) throw new UsageError(`unknown command "${first}": use serve or watch`);

  if (first === 'serve') {
    const args = parseServeArgs(rest);
    return args ? { kind: 'serve', args } : { kind: 'help', command: 'serve' };
  }
  const args = parseWatchArgs(rest);
  return args ? { kind: 'watch', args } : { kind: 'help', command: 'watch' };
}
