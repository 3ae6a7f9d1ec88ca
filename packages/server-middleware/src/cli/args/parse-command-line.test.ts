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
      args: {
        videos: ['a.mp4', 'b.mkv'],
        ids: [],
        titles: [],
        port: 3000,
        host: '127.0.0.1',
        mount: '/live',
        hls: false,
        maxFps: null,
        maxHeight: null,
      },
    });
  });

  it('reads every serve option, in any order, and drops a trailing slash of the mount', () => {
    expect(
      parseCommandLine(['serve', '--hls', 'a.mp4', '-p', '0', '--host', '0.0.0.0', '--mount', '/tv/']),
    ).toEqual({
      kind: 'serve',
      args: {
        videos: ['a.mp4'],
        ids: [],
        titles: [],
        port: 0,
        host: '0.0.0.0',
        mount: '/tv',
        hls: true,
        maxFps: null,
        maxHeight: null,
      },
    });
  });

  it('reads --max-fps (fractions too), --max-height, and repeated --id and --title in order', () => {
    const parsed = parseCommandLine([
      'serve',
      'a/clip.mp4',
      '--id',
      'morning',
      'b/clip.mp4',
      '--max-fps',
      '29.97',
      '--id',
      'evening',
      '--max-height',
      '720',
      '--title',
      'Morning show',
      'c.mp4',
    ]);
    expect(parsed).toMatchObject({
      kind: 'serve',
      args: {
        videos: ['a/clip.mp4', 'b/clip.mp4', 'c.mp4'],
        ids: ['morning', 'evening'],
        titles: ['Morning show'],
        maxFps: 29.97,
        maxHeight: 720,
      },
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
    [['serve', 'a.mp4', '--max-fps', '0'], 'serve', '--max-fps must be a number from 1 to 120'],
    [['serve', 'a.mp4', '--max-fps', '121'], 'serve', '--max-fps must be a number from 1 to 120'],
    [['serve', 'a.mp4', '--max-fps', '1e2'], 'serve', '--max-fps must be a number from 1 to 120'],
    [['serve', 'a.mp4', '--max-height', '15'], 'serve', '--max-height must be an integer from 16 to 4320'],
    [['serve', 'a.mp4', '--max-height', '720p'], 'serve', '--max-height must be an integer'],
    [['serve', 'a.mp4', '--id', 'no spaces'], 'serve', '--id must be a video id'],
    [['serve', 'a.mp4', '--id', 'a', '--id', 'b'], 'serve', '2 --id given for 1 video(s)'],
    [['serve', 'a.mp4', '--title', ' '], 'serve', '--title must not be empty'],
    [['serve', 'a.mp4', '--id'], 'serve', "Option '--id <value>' argument missing"],
    [['watch', 'http://h/live', 'http://other/live'], 'watch', 'watch takes one URL'],
    [['watch', 'ftp://h/live'], 'watch', 'must use http, https, ws or wss'],
    [['watch', 'http://h/live', '--seconds', '-1'], 'watch', "Option '--seconds' argument is ambiguous"],
    [['watch', 'http://h/live', '--seconds=-1'], 'watch', '--seconds must be an integer from 1 to 86400'],
    [['--port', '1'], undefined, 'unknown option "--port"'],
    [['serve', 'a.mp4', '--hsl'], 'serve', 'unknown flag --hsl; did you mean --hls?'],
    [
      ['serve', 'a.mp4', '--max-heigth=720'],
      'serve',
      'unknown flag --max-heigth; did you mean --max-height?',
    ],
    [['serve', 'a.mp4', '-P', '1'], 'serve', 'unknown flag -P; did you mean -p?'],
    [['serve', 'a.mp4', '--verbose'], 'serve', 'unknown flag --verbose'],
    [['watch', 'http://h/live', '--jsno'], 'watch', 'unknown flag --jsno; did you mean --json?'],
    [['watch', 'http://h/live', '--vidoe', 'a'], 'watch', 'unknown flag --vidoe; did you mean --video?'],
    [['help', 'nope'], undefined, 'no help for unknown command "nope"'],
  ])('refuses %j with a usage error for %s', (argv, command, message) => {
    const error = usageErrorOf(argv);
    expect(error.command).toBe(command);
    expect(error.message).toContain(message);
  });
});
