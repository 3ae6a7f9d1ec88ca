import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeExit, spawnSupervised, superviseChild } from './supervised-child';

async function readAll(stream: Readable | null): Promise<string> {
  let text = '';
  for await (const chunk of stream ?? []) text += String(chunk);
  return text;
}

describe('spawnSupervised', () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'onair-spawn-'));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  function script(name: string, body: string, mode = 0o755): string {
    const path = join(directory, name);
    writeFileSync(path, `#!/bin/sh\n${body}\n`);
    chmodSync(path, mode);
    return path;
  }

  it('gives the output and the exit of a child that ran', async () => {
    const { child, pipes } = spawnSupervised(
      script('ok', 'printf out; echo why >&2; exit 3'),
      [],
      ['ignore', 'pipe', 'pipe'],
    );
    expect(await readAll(pipes[1] ?? null)).toBe('out');
    expect(await child.exited).toEqual({ code: 3, signal: null, error: null });
    expect(child.stderrTail()).toBe('why');
    expect(child.isRunning).toBe(false);
  });

  it.each([
    ['a deleted binary', () => join(directory, 'missing'), 'ENOENT', 'the binary is missing (ENOENT)'],
    [
      'a binary that is not executable',
      () => script('no-exec', 'exit 0', 0o000),
      'EACCES',
      'the binary is not executable (EACCES)',
    ],
  ])('turns %s into an exit with its reason, never a throw', async (_name, path, code, words) => {
    const binary = path();
    const { child, pipes } = spawnSupervised(binary, ['-x'], ['ignore', 'pipe', 'pipe', 'pipe']);
    // Every pipe asked for is there and ends: readers see end of input.
    expect(pipes[0]).toBeNull();
    for (const fd of [1, 2, 3]) expect(await readAll(pipes[fd] ?? null)).toBe('');
    const exit = await child.exited;
    expect((exit.error as NodeJS.ErrnoException).code).toBe(code);
    expect(child.isRunning).toBe(false);
    // What viewers and clients may see names the cause, never the server's path.
    expect(describeExit(exit)).toBe(`ffmpeg could not run: ${words}`);
    expect(describeExit(exit)).not.toContain(directory);
    expect(() => child.kill('SIGKILL')).not.toThrow();
  });

  it('gives a stdin pipe as `input` when the layout asks for one', async () => {
    const { child, pipes, input } = spawnSupervised(script('cat', 'cat'), [], ['pipe', 'pipe', 'pipe']);
    expect(pipes[0]).toBeNull();
    input?.end('echoed');
    expect(await readAll(pipes[1] ?? null)).toBe('echoed');
    expect((await child.exited).code).toBe(0);
  });

  it('gives a failed spawn a stdin that swallows writes, so a writer never throws', async () => {
    const { child, input } = spawnSupervised(join(directory, 'missing'), [], ['pipe', 'pipe', 'pipe']);
    expect(input).not.toBeNull();
    expect(() => input?.write(Buffer.alloc(4096))).not.toThrow();
    expect((await child.exited).error).toBeInstanceOf(Error);
    const layoutWithoutStdin = spawnSupervised(join(directory, 'missing'), [], ['ignore', 'pipe']);
    expect(layoutWithoutStdin.input).toBeNull();
  });

  it('turns an error Node throws at spawn (a NUL in an argument) into an exit', async () => {
    const { child, pipes } = spawnSupervised(script('ok', 'exit 0'), ['a\0b'], ['ignore', 'pipe', 'ignore']);
    expect(await readAll(pipes[1] ?? null)).toBe('');
    expect(pipes[2]).toBeNull();
    expect((await child.exited).error).toBeInstanceOf(Error);
    expect(child.pid).toBeNull();
  });
});

describe('superviseChild', () => {
  /** What Node hands back on EMFILE: no pid, no stdio at all, then an 'error' and a 'close'. */
  function stdiolessChild(): ChildProcess {
    const child = new EventEmitter() as unknown as ChildProcess & Record<string, unknown>;
    Object.assign(child, { pid: undefined, stdout: undefined, stderr: undefined, stdio: undefined });
    Object.assign(child, { exitCode: null, signalCode: null, kill: () => false });
    return child;
  }

  it('watches a child that has no stdio (EMFILE) without throwing, and ends with its error', async () => {
    const child = stdiolessChild();
    const supervised = superviseChild(child);
    const error = Object.assign(new Error('spawn ffmpeg EMFILE'), { code: 'EMFILE' });
    child.emit('error', error);
    child.emit('close', -24, null);
    expect(await supervised.exited).toEqual({ code: null, signal: null, error });
    expect(describeExit(await supervised.exited)).toBe(
      'ffmpeg could not run: no file descriptor left (EMFILE)',
    );
  });

  it('keeps listening for errors: a second one (a failed kill) is not thrown', () => {
    const child = stdiolessChild();
    superviseChild(child);
    child.emit('error', new Error('first'));
    expect(() => child.emit('error', new Error('kill failed'))).not.toThrow();
  });
});
