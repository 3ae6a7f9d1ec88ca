import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeOpusPackets, encodeOpusPackets, pickAudioCodec } from './audio-codecs';
import { DecodeErrorCode } from './error-codes';

describe('pickAudioCodec', () => {
  it('takes the first codec the client prefers that the server can serve', () => {
    expect(pickAudioCodec(['opus', 'pcm'], ['opus', 'pcm'])).toBe('opus');
    expect(pickAudioCodec(['pcm', 'opus'], ['opus', 'pcm'])).toBe('pcm');
    expect(pickAudioCodec(['opus', 'pcm'], ['pcm'])).toBe('pcm');
  });

  it('serves PCM to a client that names no codecs (clients from before Opus)', () => {
    expect(pickAudioCodec(undefined, ['opus', 'pcm'])).toBe('pcm');
    expect(pickAudioCodec(undefined, ['opus'])).toBeNull();
  });

  it('finds nothing when there is nothing in common', () => {
    expect(pickAudioCodec(['opus'], ['pcm'])).toBeNull();
  });
});

describe('Opus packet framing', () => {
  it('round-trips any packets, each behind a big-endian u16 length', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 400 }), { maxLength: 6 }), (packets) => {
        const payload = encodeOpusPackets(packets);
        expect(payload.byteLength).toBe(packets.reduce((sum, p) => sum + 2 + p.byteLength, 0));
        const decoded = decodeOpusPackets(payload);
        expect(decoded.ok && decoded.value.map((p) => [...p])).toEqual(packets.map((p) => [...p]));
      }),
    );
  });

  it('writes the length big-endian', () => {
    const payload = encodeOpusPackets([new Uint8Array(258)]);
    expect([payload[0], payload[1]]).toEqual([1, 2]);
  });

  it('refuses a payload cut inside a length or a packet, never throws', () => {
    const payload = encodeOpusPackets([new Uint8Array([1, 2, 3]), new Uint8Array([4, 5])]);
    const cutLength = decodeOpusPackets(payload.subarray(0, 6));
    expect(!cutLength.ok && cutLength.error.code).toBe(DecodeErrorCode.Truncated);
    const cutPacket = decodeOpusPackets(payload.subarray(0, 8));
    expect(!cutPacket.ok && cutPacket.error.code).toBe(DecodeErrorCode.BadLength);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect(typeof decodeOpusPackets(bytes).ok).toBe('boolean');
      }),
    );
  });

  it('refuses a packet too long for its u16 length', () => {
    expect(() => encodeOpusPackets([new Uint8Array(70_000)])).toThrow(RangeError);
  });
});
