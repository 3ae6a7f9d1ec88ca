import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientAddress } from './client-address';

const request = (peer: string, forwarded?: string) =>
  ({
    socket: { remoteAddress: peer },
    headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded },
  }) as unknown as IncomingMessage;

describe('clientAddress', () => {
  it('is the peer when the host trusts no proxy, whatever X-Forwarded-For claims', () => {
    expect(clientAddress(request('10.0.0.1', '1.2.3.4'), () => false)).toBe('10.0.0.1');
    expect(clientAddress(request('10.0.0.1', '1.2.3.4'), undefined)).toBe('10.0.0.1');
  });

  it('is the nearest untrusted hop of X-Forwarded-For when the peer is a trusted proxy', () => {
    const trustPrivate = (address: string) => address.startsWith('10.');
    expect(clientAddress(request('10.0.0.1', '6.6.6.6, 1.2.3.4, 10.0.0.2'), trustPrivate)).toBe('1.2.3.4');
  });

  it('trusts only as many hops as the host said (trust proxy = 1)', () => {
    const oneHop = (_address: string, hop: number) => hop < 1;
    expect(clientAddress(request('10.0.0.1', '6.6.6.6, 1.2.3.4'), oneHop)).toBe('1.2.3.4');
  });

  it('is the farthest address when every hop is trusted', () => {
    expect(clientAddress(request('10.0.0.1', '1.2.3.4'), () => true)).toBe('1.2.3.4');
    expect(clientAddress(request('10.0.0.1'), () => true)).toBe('10.0.0.1');
  });
});
