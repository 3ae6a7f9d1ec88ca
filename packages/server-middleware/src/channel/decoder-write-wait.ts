import { Worker } from 'node:worker_threads';

/** Samples taken of one process since the last `take()`, and how many found it blocked writing to us. */
export interface WriteWaitCounts {
  samples: number;
  waiting: number;
}

export interface WriteWaitWatch {
  /** The counts since the last call, reset. */
  take(): WriteWaitCounts;
  close(): void;
}

/**
 * Starts sampling, over and over, whether a process is blocked writing to us: one of its threads sleeps in the
 * kernel waiting for room in the pipe or socket between it and its reader. Null when the system cannot tell.
 */
export type WriteWaitSampler = (pid: number) => WriteWaitWatch | null;

/** How often each watched process is sampled: a frame's wait lasts a few milliseconds when all is well. */
export const WRITE_WAIT_SAMPLE_MS = 20;

/*
 * The sampler runs in a worker thread, off the event loop it judges: sampled from the loop, a loop busy for 300 ms
 * would take no sample in exactly the time the decoder waits for it, and only see the decoder catching up after.
 * The worker's source is inline (`eval`), so it needs no file of its own in the ESM and CJS builds.
 *
 * Linux names the kernel function a sleeping thread waits in (`/proc/<pid>/task/<tid>/wchan`). A writer whose
 * reader lags waits for buffer room: `sock_alloc_send_pskb` (the Unix socket pairs Node gives a child for its
 * stdio), `pipe_write` / `pipe_wait_writable` (pipes), `sk_stream_wait_memory` and `*wmem*` names on other
 * kernels. A decoder that is slow by itself computes ("0": running), sleeps in its own pacing (`realtime`:
 * `hrtimer_nanosleep`), waits for its input (`pipe_read`, `wait_woken`), for its other threads (`futex_*`), or is
 * stopped (`do_signal_stop`): none of these is a wait for us. The shipped ffmpeg (4.x) writes its outputs from its
 * main thread, newer ones from a muxer thread per output: one thread waiting for room is enough. A kernel may hide
 * wait channels (all "0"), which the worker checks on its own process, where Node's helper threads always sleep.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { readdirSync, readFileSync } = require('node:fs');
const WRITE_WAIT = /pipe_write|pipe_wait_writable|sock_alloc_send|unix_stream_sendmsg|wait_memory|wmem/;
const channelOf = (pid, tid) => { try { return readFileSync('/proc/' + pid + '/task/' + tid + '/wchan', 'utf8').trim(); } catch { return ''; } };
const shown = (() => { try { return readdirSync('/proc/self/task').some((tid) => !['', '0'].includes(channelOf('self', tid))); } catch { return false; } })();
parentPort.postMessage({ shown });
const watched = new Map();
parentPort.on('message', (message) => {
  if (message.watch) watched.set(message.id, { pid: message.watch, counts: new Int32Array(message.counts) });
  else watched.delete(message.id);
});
setInterval(() => {
  for (const { pid, counts } of watched.values()) {
    let tids;
    try { tids = readdirSync('/proc/' + pid + '/task'); } catch { continue; }
    Atomics.add(counts, 0, 1);
    if (tids.some((tid) => WRITE_WAIT.test(channelOf(pid, tid)))) Atomics.add(counts, 1, 1);
  }
}, workerData.intervalMs);
`;

let worker: Worker | null = null;
/** False once the worker found that this system hides wait channels: every later watch is null. */
let supported = process.platform === 'linux';
let nextId = 0;
let watches = 0;

function startWorker(): Worker {
  const started = new Worker(WORKER_SOURCE, { eval: true, workerData: { intervalMs: WRITE_WAIT_SAMPLE_MS } });
  // A sampler never keeps the host's process alive.
  started.unref();
  started.once('message', (message: { shown: boolean }) => {
    if (!message.shown) supported = false;
  });
  started.on('error', () => {
    supported = false;
    worker = null;
  });
  return started;
}

/**
 * The sampler of Linux's `/proc`, one worker thread for every channel of the process, started with the first
 * watch and ended with the last. Counts are shared memory the worker adds to and `take()` swaps out.
 */
export const procWriteWaitSampler: WriteWaitSampler = (pid) => {
  if (!supported) return null;
  worker ??= startWorker();
  const id = nextId++;
  const counts = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
  worker.postMessage({ id, watch: pid, counts: counts.buffer });
  watches++;
  let closed = false;
  return {
    take: () => {
      const samples = Atomics.exchange(counts, 0, 0);
      // Read after the samples, so a sample counted in between can only make `waiting` run one ahead.
      const waiting = Math.min(samples, Atomics.exchange(counts, 1, 0));
      return supported ? { samples, waiting } : { samples: 0, waiting: 0 };
    },
    close: () => {
      if (closed) return;
      closed = true;
      worker?.postMessage({ id });
      if (--watches === 0 && worker) {
        void worker.terminate();
        worker = null;
      }
    },
  };
};
