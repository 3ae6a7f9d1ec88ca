import { type ChildProcess, spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { procWriteWaitSampler, type WriteWaitWatch } from './decoder-write-wait';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.runIf(process.platform === 'linux')('procWriteWaitSampler', () => {
  const children: ChildProcess[] = [];
  const watches: WriteWaitWatch[] = [];
  afterEach(() => {
    for (const watch of watches.splice(0)) watch.close();
    for (const child of children.splice(0)) child.kill('SIGKILL');
  });

  function start(command: string, args: string[]): ChildProcess & { pid: number } {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    children.push(child);
    child.stdout?.on('error', () => {});
    return child as ChildProcess & { pid: number };
  }

  function watch(pid: number): WriteWaitWatch {
    const watched = procWriteWaitSampler(pid);
    if (!watched) throw new Error('this Linux hides wait channels');
    watches.push(watched);
    return watched;
  }

  it('finds a writer blocked because we do not read it, even while our own loop is blocked', async () => {
    const writer = start('cat', ['/dev/zero']);
    writer.stdout?.pause();
    const watched = watch(writer.pid);
    await sleep(100);
    watched.take();
    // The sampler runs off this thread: a loop blocked for a second still gets its samples (about 50; a few
    // on a machine too busy to run the worker often).
    const until = Date.now() + 1_000;
    while (Date.now() < until) {}
    const { samples, waiting } = watched.take();
    expect(samples).toBeGreaterThan(5);
    expect(waiting / samples).toBeGreaterThan(0.9);
  });

  it('does not count a stopped writer, or one that sleeps on its own, as waiting for us', async () => {
    const writer = start('cat', ['/dev/zero']);
    writer.stdout?.pause();
    writer.kill('SIGSTOP');
    const sleeper = start('sleep', ['5']);
    const [stopped, sleeping] = [watch(writer.pid), watch(sleeper.pid)];
    await sleep(1_000);
    for (const counts of [stopped.take(), sleeping.take()]) {
      expect(counts.samples).toBeGreaterThan(5);
      expect(counts.waiting).toBe(0);
    }
  });

  it('takes no sample of a process that is gone', async () => {
    const gone = watch(2 ** 22 + 1);
    await sleep(100);
    expect(gone.take()).toEqual({ samples: 0, waiting: 0 });
  });
});
