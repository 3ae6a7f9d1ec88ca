import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MEDIA_HEADER_BYTES } from './constants';
import { DecodeErrorCode } from './error-codes';
import {
  decodeAck,
  decodeMediaHeader,
  decodeMediaMessage,
  encodeAck,
  encodeMediaMessage,
  type MediaMessage,
} from './media';

const mediaMessage = fc.record<MediaMessage>({
  kind: fc.constantFrom('video', 'audio'),
  timestamp: fc.double({ noNaN: true, noDefaultInfinity: true }),
  sequence: fc.nat({ max: 0xffffffff }),
  rungOrChannels: fc.nat({ max: 255 }),
  payload: fc.uint8Array({ maxLength: 2048 }),
});

describe('media messages', () => {
  it('round-trips every field and the payload bytes', () => {
    fc.assert(
      fc.property(mediaMessage, (message) => {
        const decoded = decodeMediaMessage(encodeMediaMessage(message));
        expect(decoded.ok).toBe(true);
        if (!decoded.ok) return;
        expect(decoded.value.kind).toBe(message.kind);
        expect(Object.is(decoded.value.timestamp, message.timestamp)).toBe(true);
        expect(decoded.value.sequence).toBe(message.sequence);
        expect(decoded.value.rungOrChannels).toBe(message.rungOrChannels);
        expect(Array.from(decoded.value.payload)).toEqual(Array.from(message.payload));
      }),
    );
  });

  it('writes the documented layout: magic, version, header length, big-endian fields', () => {
    const bytes = encodeMediaMessage({
      kind: 'video',
      timestamp: 1500.5,
      sequence: 7,
      rungOrChannels: 3,
      payload: new Uint8Array([0xff, 0xd8, 0xff, 0xd9]),
    });
    const view = new DataView(bytes.buffer);
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe('OAVF');
    expect(bytes[4]).toBe(1);
    expect(bytes[5]).toBe(MEDIA_HEADER_BYTES);
    expect(bytes[6]).toBe(3);
    expect(view.getFloat64(8)).toBe(1500.5);
    expect(view.getUint32(16)).toBe(7);
    expect(view.getUint32(20)).toBe(4);
    expect(Array.from(bytes.subarray(24))).toEqual([0xff, 0xd8, 0xff, 0xd9]);
  });

  it('reads a message that sits at an offset inside a larger buffer', () => {
    const encoded = encodeMediaMessage({
      kind: 'audio',
      timestamp: 1,
      sequence: 2,
      rungOrChannels: 2,
      payload: new Uint8Array([9]),
    });
    const padded = new Uint8Array(encoded.byteLength + 10);
    padded.set(encoded, 5);
    const decoded = decodeMediaMessage(padded.subarray(5, 5 + encoded.byteLength));
    expect(decoded.ok && decoded.value.kind === 'audio' && decoded.value.payload[0] === 9).toBe(true);
  });

  it('returns an error value, never throws, on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), (bytes) => {
        const decoded = decodeMediaMessage(bytes);
        expect(typeof decoded.ok).toBe('boolean');
        if (!decoded.ok) expect(decoded.error.message.length).toBeGreaterThan(0);
      }),
    );
  });

  it('refuses every truncation of a valid message', () => {
    fc.assert(
      fc.property(mediaMessage, fc.nat(), (message, cut) => {
        const bytes = encodeMediaMessage(message);
        const truncated = bytes.subarray(0, cut % bytes.byteLength);
        const decoded = decodeMediaMessage(truncated);
        expect(decoded.ok).toBe(false);
      }),
    );
  });

  it('names the problem: bad magic, bad version, length mismatch', () => {
    const good = encodeMediaMessage({
      kind: 'video',
      timestamp: 0,
      sequence: 0,
      rungOrChannels: 0,
      payload: new Uint8Array(4),
    });
    const badMagic = good.slice();
    badMagic[0] = 0x58;
    const badVersion = good.slice();
    badVersion[4] = 9;
    const extra = new Uint8Array(good.byteLength + 1);
    extra.set(good);
    const results = [decodeMediaMessage(badMagic), decodeMediaMessage(badVersion), decodeMediaMessage(extra)];
    expect(results.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual([
      DecodeErrorCode.BadMagic,
      DecodeErrorCode.BadVersion,
      DecodeErrorCode.BadLength,
    ]);
  });

  it('refuses a non-finite timestamp', () => {
    const bytes = encodeMediaMessage({
      kind: 'video',
      timestamp: 0,
      sequence: 0,
      rungOrChannels: 0,
      payload: new Uint8Array(),
    });
    new DataView(bytes.buffer).setFloat64(8, Number.NaN);
    expect(decodeMediaMessage(bytes).ok).toBe(false);
  });

  it('reads the header from its first 24 bytes alone, with the payload length it announces', () => {
    fc.assert(
      fc.property(mediaMessage, (message) => {
        const encoded = encodeMediaMessage(message);
        const header = decodeMediaHeader(encoded.subarray(0, MEDIA_HEADER_BYTES));
        expect(header.ok).toBe(true);
        if (!header.ok) return;
        expect(header.value).toEqual({
          kind: message.kind,
          timestamp: message.timestamp,
          sequence: message.sequence,
          rungOrChannels: message.rungOrChannels,
          headerLength: MEDIA_HEADER_BYTES,
          payloadLength: message.payload.byteLength,
        });
      }),
    );
  });

  it('returns an error value from the header reader, never throws, on random and short bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const header = decodeMediaHeader(bytes);
        if (bytes.byteLength < MEDIA_HEADER_BYTES) expect(header.ok).toBe(false);
      }),
    );
    expect(decodeMediaHeader(new Uint8Array(23))).toMatchObject({
      ok: false,
      error: { code: DecodeErrorCode.Truncated },
    });
  });

  it('refuses values that are not bytes', () => {
    for (const value of [null, undefined, 'OAVF', 42, {}, [1, 2, 3]]) {
      expect(decodeMediaMessage(value as unknown as Uint8Array).ok).toBe(false);
      expect(decodeAck(value as unknown as Uint8Array).ok).toBe(false);
    }
  });
});

describe('acks', () => {
  it('round-trips any uint32 sequence', () => {
    fc.assert(
      fc.property(fc.nat({ max: 0xffffffff }), (sequence) => {
        const decoded = decodeAck(encodeAck(sequence));
        expect(decoded).toEqual({ ok: true, value: sequence });
      }),
    );
  });

  it('returns an error value on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 16 }), (bytes) => {
        const decoded = decodeAck(bytes);
        if (decoded.ok) expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe('OAAK');
      }),
    );
  });
});
