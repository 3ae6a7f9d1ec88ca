import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Kernel clock ticks per second, the unit of utime/stime in /proc/<pid>/stat. */
const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

interface ProcStat {
  pid: number;
  command: string;
  parentPid: number;
  /** User + system CPU of every thread of the process, in seconds. */
  cpuSeconds: number;
}

function readStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command sits in parentheses and may itself contain spaces or parentheses: split after the last one.
  const close = text.lastIndexOf(')');
  const command = text.slice(text.indexOf('(') + 1, close);
  const fields = text.slice(close + 2).split(' ');
  return {
    pid,
    command,
    parentPid: Number(fields[1]),
    cpuSeconds: (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS,
  };
}

export interface ProcessSample {
  /** Monotonic wall time of the sample, in seconds. */
  at: number;
  cpuSeconds: number;
  rssBytes: number;
}

/** CPU time and resident memory of one process, read from /proc (Linux only). */
export function sampleProcess(pid: number): ProcessSample {
  const stat = readStat(pid);
  if (!stat) throw new Error(`process ${pid} is gone`);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? Number.NaN);
  return { at: performance.now() / 1000, cpuSeconds: stat.cpuSeconds, rssBytes: rssKb * 1024 };
}

/** Percent of one core used between two samples of the same process. */
export function cpuPercent(before: ProcessSample, after: ProcessSample): number {
  return ((after.cpuSeconds - before.cpuSeconds) / (after.at - before.at)) * 100;
}

/** Every live descendant of `pid` whose command name is `command` (e.g. the server's ffmpeg children). */
export function findDescendants(pid: number, command: string): ProcStat[] {
  const all: ProcStat[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat) all.push(stat);
  }
  const family = new Set([pid]);
  // Parents can appear after their children in /proc order, so grow the family until it stops changing.
  for (let grown = true; grown; ) {
    grown = false;
    for (const stat of all) {
      if (family.has(stat.parentPid) && !family.has(stat.pid)) {
        family.add(stat.pid);
        grown = true;
      }
    }
  }
  return all.filter((stat) => stat.pid !== pid && family.has(stat.pid) && stat.command === command);
}

/** Whether `pid` is still a process named `command` (a pid can be reused once its process is gone). */
export function isRunningAs(pid: number, command: string): boolean {
  return readStat(pid)?.command === command;
}

export interface MachineSample {
  busyTicks: number;
  totalTicks: number;
}

/** Whole-machine CPU counters (first line of /proc/stat), to tell a saturated machine from a slow process. */
export function sampleMachine(): MachineSample {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
  const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = ticks.reduce((sum, value) => sum + value, 0);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  return { busyTicks: total - idle, totalTicks: total };
}

/** Busy share of all cores between two machine samples, in % of one core (so 2 full cores = 200). */
export function machineCpuPercent(before: MachineSample, after: MachineSample, cores: number): number {
  const total = after.totalTicks - before.totalTicks;
  return total > 0 ? ((after.busyTicks - before.busyTicks) / total) * 100 * cores : Number.NaN;
}
