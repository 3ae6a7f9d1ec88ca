import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * Three network namespaces joined in a line, made and removed by the networks step: the server's, the link's
 * (where linkem bridges the two veth ends, no addresses) and the client's. The names are the bench's own (not
 * netns.sh's `onair-*`), so a helper trying netns.sh by hand on the same machine is never torn down by a run.
 */
export const NAMESPACES = {
  server: 'onair-bench-srv',
  link: 'onair-bench-link',
  client: 'onair-bench-cli',
} as const;

/** The link's two ends as linkem sees them, in the link namespace: A is the server side ("down" is A → B). */
export const LINK_INTERFACES = { serverSide: 'veth-srv-l', clientSide: 'veth-cli-l' } as const;

export const SERVER_ADDRESS = '10.77.0.1';
export const CLIENT_ADDRESS = '10.77.0.2';

/** Every `ip` call is bounded: a wedged one must not hold the bench (or its cleanup) forever. */
const COMMAND_TIMEOUT_MS = 10_000;

function run(command: string, args: string[]): string {
  return execFileSync(command, args, { encoding: 'utf8', timeout: COMMAND_TIMEOUT_MS, stdio: 'pipe' });
}

/** `ip netns exec NAME ...args`: the command line that runs a program inside a namespace. */
export function inNamespace(namespace: string, command: string, args: readonly string[] = []): string[] {
  return ['ip', 'netns', 'exec', namespace, command, ...args];
}

export function existingNamespaces(): string[] {
  return run('ip', ['netns', 'list'])
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter(Boolean);
}

/** Pids of every process whose network namespace is `namespace` (what `ip netns pids` reads from /proc). */
export function namespacePids(namespace: string): number[] {
  try {
    return run('ip', ['netns', 'pids', namespace])
      .split('\n')
      .filter(Boolean)
      .map(Number)
      .filter((pid) => Number.isInteger(pid) && pid > 0 && pid !== process.pid);
  } catch {
    return [];
  }
}

/**
 * Kills whatever still runs in the bench's namespaces (a server's ffmpeg orphaned by a crash, a Chromium
 * renderer): deleting a namespace does not end its processes, and only processes this bench started can be in
 * namespaces it made. Returns how many were left.
 */
export function killNamespaceProcesses(): number {
  let killed = 0;
  for (const namespace of Object.values(NAMESPACES)) {
    for (const pid of namespacePids(namespace)) {
      try {
        process.kill(pid, 'SIGKILL');
        killed++;
      } catch {
        // Gone between the listing and the kill.
      }
    }
  }
  return killed;
}

/** Removes the namespaces (their veth pairs go with them). Safe to call any number of times. */
export function removeNamespaces(): void {
  killNamespaceProcesses();
  const present = new Set(existingNamespaces());
  for (const namespace of Object.values(NAMESPACES)) {
    if (present.has(namespace)) run('ip', ['netns', 'del', namespace]);
  }
}

/**
 * Makes the three namespaces and the two veth pairs, as `netns.sh up` does: IPv6 off (so the veth ends have no
 * other address), offloads off on every end (`linkem --offload-off`: linkem moves one Ethernet frame at a time
 * and must never see a 64 KB GSO frame), everything up. Left over from a killed run, they are removed first.
 */
export function makeNamespaces(linkem: string, serverTcp: ServerTcpSettings = {}): void {
  removeNamespaces();
  const { server, link, client } = NAMESPACES;
  for (const namespace of [server, link, client]) {
    run('ip', ['netns', 'add', namespace]);
    run('ip', ['netns', 'exec', namespace, 'sysctl', '-qw', 'net.ipv6.conf.all.disable_ipv6=1']);
    run('ip', ['netns', 'exec', namespace, 'sysctl', '-qw', 'net.ipv6.conf.default.disable_ipv6=1']);
    run('ip', ['-n', namespace, 'link', 'set', 'lo', 'up']);
  }
  const { serverSide, clientSide } = LINK_INTERFACES;
  run('ip', [
    '-n',
    link,
    'link',
    'add',
    serverSide,
    'type',
    'veth',
    'peer',
    'name',
    'veth-srv',
    'netns',
    server,
  ]);
  run('ip', [
    '-n',
    link,
    'link',
    'add',
    clientSide,
    'type',
    'veth',
    'peer',
    'name',
    'veth-cli',
    'netns',
    client,
  ]);
  setServerTcp(serverTcp);
  run('ip', ['-n', server, 'addr', 'add', `${SERVER_ADDRESS}/24`, 'dev', 'veth-srv']);
  run('ip', ['-n', client, 'addr', 'add', `${CLIENT_ADDRESS}/24`, 'dev', 'veth-cli']);
  const ends: [string, string][] = [
    [server, 'veth-srv'],
    [client, 'veth-cli'],
    [link, serverSide],
    [link, clientSide],
  ];
  for (const [namespace, device] of ends) {
    run('ip', ['netns', 'exec', namespace, linkem, '--offload-off', device]);
    run('ip', ['-n', namespace, 'link', 'set', device, 'up']);
  }
}

/**
 * The server namespace's TCP settings that shape how its sockets send. A new namespace takes the machine's
 * congestion control (this machine's is BBR, whose ProbeRTT holds a flow to 4 packets for 200 ms and a round trip
 * about every 10 s) and `tcp_notsent_lowat` (unlimited by default: the kernel takes all it is given).
 */
export interface ServerTcpSettings {
  /** A congestion control the machine allows (`net.ipv4.tcp_allowed_congestion_control`). */
  congestionControl?: string;
  /** Bytes not yet sent that the kernel holds before the socket stops being writable. */
  notSentLowat?: number;
}

function setServerTcp({ congestionControl, notSentLowat }: ServerTcpSettings): void {
  const sysctl = (key: string, value: string | number) =>
    run('ip', ['netns', 'exec', NAMESPACES.server, 'sysctl', '-qw', `${key}=${value}`]);
  if (congestionControl) {
    const allowed = readFileSync('/proc/sys/net/ipv4/tcp_allowed_congestion_control', 'utf8')
      .trim()
      .split(/\s+/);
    if (!allowed.includes(congestionControl)) {
      throw new Error(
        `networks: the congestion control ${congestionControl} is not allowed in a namespace here (allowed: ` +
          `${allowed.join(' ')}); allow it with sysctl -w net.ipv4.tcp_allowed_congestion_control="${allowed.join(' ')} ${congestionControl}"`,
      );
    }
    sysctl('net.ipv4.tcp_congestion_control', congestionControl);
  }
  if (notSentLowat !== undefined) sysctl('net.ipv4.tcp_notsent_lowat', notSentLowat);
}

/** The TCP settings the server's sockets got: the congestion control, and `tcp_notsent_lowat` (null: unlimited). */
export interface ServerTcpInUse {
  congestionControl: string;
  notSentLowat: number | null;
}

/** The TCP settings the server's sockets got, as its namespace reads them. */
export function readServerTcp(): ServerTcpInUse {
  const read = (key: string) => run('ip', ['netns', 'exec', NAMESPACES.server, 'sysctl', '-n', key]).trim();
  const lowat = Number(read('net.ipv4.tcp_notsent_lowat'));
  // The kernel's "unlimited" is UINT_MAX.
  return {
    congestionControl: read('net.ipv4.tcp_congestion_control'),
    notSentLowat: lowat >= 2 ** 32 - 1 ? null : lowat,
  };
}
