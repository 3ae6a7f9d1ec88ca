import { describe, expect, it } from 'vitest';
import { opusPacketSamples } from './opus-packet';
import { SINE_CBR_OPUS } from './sine-cbr.fixture';

const toc = (config: number, code: number) => (config << 3) | code;

describe('opusPacketSamples', () => {
  it('reads the frame size from the configuration and the frame count from the code (RFC 6716 §3.1)', () => {
    expect(opusPacketSamples(Uint8Array.of(toc(31, 0)))).toBe(960); // CELT 20 ms, one frame
    expect(opusPacketSamples(Uint8Array.of(toc(16, 0)))).toBe(120); // CELT 2.5 ms
    expect(opusPacketSamples(Uint8Array.of(toc(3, 1)))).toBe(5760); // SILK 60 ms, two frames
    expect(opusPacketSamples(Uint8Array.of(toc(13, 2)))).toBe(1920); // hybrid 20 ms, two frames
    expect(opusPacketSamples(Uint8Array.of(toc(31, 3), 3))).toBe(2880); // CELT 20 ms, three frames
  });

  it('gives null for what is not an Opus packet', () => {
    expect(opusPacketSamples(new Uint8Array(0))).toBeNull();
    expect(opusPacketSamples(Uint8Array.of(toc(31, 3)))).toBeNull(); // code 3 without its count byte
    expect(opusPacketSamples(Uint8Array.of(toc(31, 3), 0))).toBeNull(); // zero frames
    expect(opusPacketSamples(Uint8Array.of(toc(3, 3), 3))).toBeNull(); // 180 ms: over 120
  });

  it('times every packet ffmpeg wrote at 20 ms', () => {
    const packets = [0, 1, 2, 3, 4, 5].map((n) => SINE_CBR_OPUS.subarray(n * 160, (n + 1) * 160));
    expect(packets.map(opusPacketSamples)).toEqual([960, 960, 960, 960, 960, 960]);
  });
});
