import { describe, expect, it } from 'vitest';
import { OggReader } from './ogg-reader';
import { isOpusTags, opusPacketSamples, readOpusHead } from './opus-packet';
import { SINE_OGG_OPUS } from './sine-ogg.fixture';

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
    const read = new OggReader().push(SINE_OGG_OPUS);
    const audio = read.ok ? read.pages.slice(2).flatMap((page) => page.packets) : [];
    expect(audio.map(opusPacketSamples)).toEqual([960, 960, 960, 960, 960, 960]);
  });
});

describe('Ogg Opus headers', () => {
  it("reads OpusHead's channel count and pre-skip, and knows OpusTags", () => {
    const read = new OggReader().push(SINE_OGG_OPUS);
    const [head, tags, audio] = read.ok ? read.pages.map((page) => page.packets[0] as Buffer) : [];
    expect(readOpusHead(head as Buffer)).toEqual({ channels: 2, preSkip: 312 });
    expect(isOpusTags(tags as Buffer)).toBe(true);
    expect(readOpusHead(audio as Buffer)).toBeNull();
    expect(isOpusTags(audio as Buffer)).toBe(false);
  });
});
