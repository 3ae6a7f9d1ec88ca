import { describe, expect, it } from 'vitest';
import { UsageError } from '../cli-error';
import { parseCommandLine } from './parse-command-line';

function usageErrorOf(argv: string[]): UsageError {
  try {
    parseCommandLine(argv);
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error(`${JSON.stringify(argv)} parsed without an error`);
}

describe('parseCommandLine', () => {
  it('reads serve with its defaults', () => {
    expect(parseCommandLine(['serve', 'a.mp4', 'b.mkv'])).toEqual({
      kind: 'serve',
      args: { videos: ['a.mp4', 'b.mkv'], port: 3000, host: '127.0.0.1', mount: '/live', hls: false },
    });
  });

  it('reads every serve option, in any order, and drops a trailing slash of the mount', () => {
    expect(
      parseCommandLine(['serve', '--hls', 'a.mp4', '-p', '0', '--host', '0.0.0.0', '--mount', '/tv/']),
    ).toEqual({
      kind: 'serve',
      args: { videos: ['a.mp4'], port: 0, host: '0.0.0.0', mount: '/tv', hls: true },
    });
  });

  it('reads watch with its options', () => {
    const parsed = parseCommandLine([
      'watch',
      'http://h:1/live',
      '--video',
      'news',
      '--seconds',
      '5',
      '--json',
    ]);
    expect(parsed).toMatchObject({ kind: 'watch', args: { videoId: 'news', seconds: 5, json: true } });
    expect(parsed.kind === 'watch' && parsed.args.mountUrl.href).toBe('http://h:1/live');
  });

  it('gives help for the tool and each command, even with other arguments', () => {
    expect(parseCommandLine(['--help'])).toEqual({ kind: 'help', command: undefined });
    expect(parseCommandLine(['help', 'watch'])).toEqual({ kind: 'help', command: 'watch' });
    expect(parseCommandLine(['serve', '--port', '1', '--help'])).toEqual({ kind: 'help', command: 'serve' });
  });

  it.each([
    [['serve', 'a.mp4', '--port', '3e3'], 'serve', '--port must be an integer'],
    [['serve', 'a.mp4', '--port', ''], 'serve', '--port must be an integer'],
    [['serve', 'a.mp4', '--mount', '/'], 'serve', '--mount must be a path'],
    [['serve', 'a.mp4', '--mount', '/a/../b'], 'serve', '--mount must be a path'],
    [['serve', 'a.mp4', '--mount', '/:id'], 'serve', '--mount must be a path'],
    [['serve', 'a.mp4', '--host', ' '], 'serve', '--host must be an address'],
    [['watch', 'http://h/live', 'http://other/live'], 'watch', 'watch takes one URL'],
    [['watch', 'ftp://h/live'], 'watch', 'must use http, https, ws or wss'],
    [['watch', 'http://h/live', '--seconds', '-1'], 'watch', "Option '--seconds' argument is ambiguous"],
    [['watch', 'http://h/live', '--seconds=-1'], 'watch', '--seconds must be an integer from 1 to 86400'],
    [['--port', '1'], undefined, 'unknown option "--port"'],
    [['help', 'nope'], undefined, 'no help for unknown command "nope"'],
  ])('refuses %j with a usage error for %s', (argv, command, message) => {
    const error = usageErrorOf(argv);
    expect(error.command).toBe(command);
    expect(error.message).toContain(message);
  });
});
