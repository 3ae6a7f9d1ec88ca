import { CloseCode, ErrorCode, encodeMessage } from '@onair/protocol';
import type WebSocket from 'ws';
import { closeSoon } from './viewer-socket';

/**
 * The host itself, or a proxy on it that the host app does not trust (then every client has its address): never
 * limited, so a proxy set up without `trust proxy` does not cap the whole audience at `maxSocketsPerAddress`.
 */
export function isLoopback(address: string): boolean {
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/**
 * How many viewer sockets each client address holds open (`maxSocketsPerAddress`): one address cannot take the
 * server's file descriptors and memory with thousands of idle sockets. A socket counts from the moment it opens
 * to its close, hello or not. Loopback addresses are not limited.
 */
export class SocketsPerAddress {
  private readonly open = new Map<string, number>();

  constructor(private readonly max: number) {}

  /** Counts one more socket from `address`; false (nothing counted) when it already has `max`. */
  take(address: string): boolean {
    if (isLoopback(address)) return true;
    const count = this.open.get(address) ?? 0;
    if (count >= this.max) return false;
    this.open.set(address, count + 1);
    return true;
  }

  release(address: string): void {
    if (isLoopback(address)) return;
    const count = this.open.get(address) ?? 0;
    if (count <= 1) this.open.delete(address);
    else this.open.set(address, count - 1);
  }

  /** Sockets counted for `address` now. */
  count(address: string): number {
    return this.open.get(address) ?? 0;
  }
}

/** Closes a socket over its address's limit: a fatal `ONAIR_RATE_LIMITED`, then 4003. */
export function refuseExtraSocket(ws: WebSocket, max: number): void {
  ws.on('error', () => {});
  ws.send(
    encodeMessage({
      type: 'error',
      code: ErrorCode.RateLimited,
      message: `too many sockets from this address (at most ${max} at once)`,
      fatal: true,
    }),
  );
  closeSoon(ws, CloseCode.TooManySockets, 'too many sockets from this address');
}
