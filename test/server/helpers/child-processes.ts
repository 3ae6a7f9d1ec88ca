import { readdirSync, readFileSync } from 'node:fs';

export interface ChildProcessInfo {
  pid: number;
  name: string;
}

/**
 * ffmpeg and ffprobe processes whose parent is this test process, read from /proc (Linux). The middleware runs
 * in this process, so every decoder, probe and thumbnail grab it spawned shows up here.
 */
export function mediaChildren(): ChildProcessInfo[] {
  const children: ChildProcessInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ')'.
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(ppid) === process.pid && state !== 'Z' && /^ff(mpeg|probe)$/.test(name)) {
      children.push({ pid: Number(entry), name });
    }
  }
  return children;
}
