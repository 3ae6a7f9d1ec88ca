import { encodeOpusPackets } from '@onair/protocol';
import { describe, expect, it } from 'vitest';
import { opusPacketDurationMs, splitOpusMessage } from './opus-packets';

/** A TOC byte: configuration number, stereo flag, frame-count code. */
const toc = (config: number, code: number) => (config << 3) | code;

describe('opusPacketDurationMs', () => {
  it('reads the frame size from the configuration: SILK, hybrid, CELT', () => {
    expect(opusPacketDurationMs(Uint8Array.of(toc(1, 0)))).toBe(20); // SILK NB 20 ms
    expect(opusPacketDurationMs(Uint8Array.of(toc(3, 0)))).toBe(60); // SILK NB 60 ms
    expect(opusPacketDurationMs(Uint8Array.of(toc(12, 0)))).toBe(10); // hybrid SWB 10 ms
    expect(opusPacketDurationMs(Uint8Array.of(toc(31, 0)))).toBe(20); // CELT FB 20 ms (libopus's default)
    expect(opusPacketDurationMs(Uint8Array.of(toc(16, 0)))).toBe(2.5);
  });

  it('multiplies by the frame count: codes 1 and 2 are two frames, code 3 says how many', () => {
    expect(opusPacketDurationMs(Uint8Array.of(toc(31, 1)))).toBe(40);
    expect(opusPacketDurationMs(Uint8Array.of(toc(31, 2), 5))).toBe(40);
    expect(opusPacketDurationMs(Uint8Array.of(toc(30, 3), 0x83))).toBe(30); // 3 frames of 10 ms (VBR flag set)
  });

  it('is 0 for an empty packet or a code 3 packet without its count byte', () => {
    expect(opusPacketDurationMs(new Uint8Array(0))).toBe(0);
    expect(opusPacketDurationMs(Uint8Array.of(toc(31, 3)))).toBe(0);
  });
});

describe('splitOpusMessage', () => {
  it('splits the length-prefixed packets and times each from the header timestamp', () => {
    const a = Uint8Array.of(toc(31, 0), 1, 2, 3);
    const b = Uint8Array.of(toc(31, 1), 4);
    const c = Uint8Array.of(toc(31, 0));
    const packets = splitOpusMessage(1_000, encodeOpusPackets([a, b, c]));
    expect(
      packets?.map(({ timestamp, durationMs, data }) => [timestamp, durationMs, Array.from(data)]),
    ).toEqual([
      [1_000, 20, Array.from(a)],
      [1_020, 40, Array.from(b)],
      [1_060, 20, Array.from(c)],
    ]);
  });

  it('reads a payload that sits at an odd offset of the socket message', () => {
    const payload = encodeOpusPackets([Uint8Array.of(toc(31, 0), 9)]);
    const message = new Uint8Array(payload.byteLength + 1);
    message.set(payload, 1);
    expect(splitOpusMessage(0, message.subarray(1))?.[0]?.data).toEqual(Uint8Array.of(toc(31, 0), 9));
  });

  it('is null when a length runs past the payload', () => {
    expect(splitOpusMessage(0, Uint8Array.of(0, 5, toc(31, 0)))).toBeNull();
  });
});
