import { describe, expect, it } from 'vitest';
import { SocketsPerAddress } from './sockets-per-address';

describe('SocketsPerAddress', () => {
  it('admits up to the limit per address, each address on its own, and frees a place on release', () => {
    const limit = new SocketsPerAddress(2);
    expect([limit.take('a'), limit.take('a'), limit.take('a')]).toEqual([true, true, false]);
    expect(limit.take('b')).toBe(true);
    limit.release('a');
    expect(limit.count('a')).toBe(1);
    expect(limit.take('a')).toBe(true);
    limit.release('b');
    expect(limit.count('b')).toBe(0);
  });

  it('never limits loopback: the host itself, or a local proxy the app does not trust', () => {
    const limit = new SocketsPerAddress(1);
    for (const address of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) {
      expect([limit.take(address), limit.take(address), limit.take(address)]).toEqual([true, true, true]);
      limit.release(address);
    }
    expect([limit.take('::ffff:10.0.0.1'), limit.take('::ffff:10.0.0.1')]).toEqual([true, false]);
  });
});
