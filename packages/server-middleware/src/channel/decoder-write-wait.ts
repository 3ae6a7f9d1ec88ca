import { readdirSync, readFileSync } from 'node:fs';

/**
 * Whether a process is blocked writing to us now: true when one of its threads sleeps in the kernel waiting for
 * room in a pipe or socket (the buffer between it and the reader is full), false when none does, null when the
 * system cannot tell (not Linux, `/proc` hidden, wait channels not shown, the process gone).
 */
export type WriteWaitProbe = (pid: number) => boolean | null;

/*
 * Linux names the kernel function a sleeping thread waits in (`/proc/<pid>/task/<tid>/wchan`). A writer whose
 * reader lags waits for buffer room: `sock_alloc_send_pskb` (the Unix socket pairs Node gives a child for its
 * stdio), `pipe_write` / `pipe_wait_writable` (pipes), `sk_stream_wait_memory`, `wait_for_wmem`-style names on
 * other kernels. A decoder that is slow computes (no wait channel), sleeps in its own pacing (`realtime`:
 * `hrtimer_nanosleep`), waits for its input (`pipe_read`, `wait_woken`), for its other threads (`futex_*`), or is
 * stopped (`do_signal_stop`): none of these is a wait for us.
 */
const WRITE_WAIT = /pipe_write|pipe_wait_writable|sock_alloc_send|unix_stream_sendmsg|wait_memory|wmem/;

function threadIds(pid: number | 'self'): string[] {
  return readdirSync(`/proc/${pid}/task`);
}

function waitChannel(pid: number | 'self', tid: string): string | null {
  try {
    return readFileSync(`/proc/${pid}/task/${tid}/wchan`, 'utf8').trim();
  } catch {
    // A thread that ended between the listing and the read.
    return null;
  }
}

let shown: boolean | undefined;

/**
 * Whether this kernel shows wait channels to us (`kptr_restrict` may hide them as "0"), known from our own
 * process: some of Node's helper threads are always asleep.
 */
function waitChannelsShown(): boolean {
  if (shown === undefined) {
    try {
      shown = threadIds('self').some((tid) => {
        const channel = waitChannel('self', tid);
        return channel !== null && channel !== '' && channel !== '0';
      });
    } catch {
      shown = false;
    }
  }
  return shown;
}

/**
 * Reads the wait channel of each thread of `pid` ("0" for one running now). The shipped ffmpeg (4.x) writes its
 * outputs from its main thread; newer ones from one muxer thread per output: either way one thread waiting for
 * room is enough.
 */
export const procWriteWait: WriteWaitProbe = (pid) => {
  if (process.platform !== 'linux' || !waitChannelsShown()) return null;
  try {
    return threadIds(pid).some((tid) => WRITE_WAIT.test(waitChannel(pid, tid) ?? ''));
  } catch {
    return null;
  }
};
