import { type ChildProcess, spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { procWriteWait } from './decoder-write-wait';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls the probe until it answers `expected` (a child needs a moment to fill its buffer or fall asleep). */
async function settlesTo(pid: number, expected: boolean): Promise<boolean | null> {
  let answer = procWriteWait(pid);
  for (let tries = 0; answer !== expected && tries < 50; tries++) {
    await sleep(20);
    answer = procWriteWait(pid);
  }
  return answer;
}

describe.runIf(process.platform === 'linux')('procWriteWait', () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
  });

  function start(command: string, args: string[]): ChildProcess & { pid: number } {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    children.push(child);
    child.stdout?.on('error', () => {});
    return child as ChildProcess & { pid: number };
  }

  it('sees a writer blocked because we do not read, and not once we read', async () => {
    const writer = start('cat', ['/dev/zero']);
    writer.stdout?.pause();
    expect(await settlesTo(writer.pid, true)).toBe(true);
    // A stopped writer is not waiting for us, even with its buffer full.
    writer.kill('SIGSTOP');
    expect(await settlesTo(writer.pid, false)).toBe(false);
  });

  it('says no for a process that sleeps on its own (a decoder paced by its input)', async () => {
    const sleeper = start('sleep', ['5']);
    expect(await settlesTo(sleeper.pid, false)).toBe(false);
  });

  it('cannot tell for a process that is gone', () => {
    expect(procWriteWait(2 ** 22 + 1)).toBeNull();
  });
});
