import { encodeOpusPackets } from '@onair/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OpusDecoder } from './opus-decoder';

const SAMPLE_RATE = 48_000;
/** One 20 ms CELT packet (TOC configuration 31, one frame). */
const PACKET = Uint8Array.of(31 << 3, 0);

/**
 * A stand-in for Chromium's `AudioDecoder`: it stamps each output from the first input's timestamp plus the frames
 * decoded since, whatever the later inputs say (media's AudioDiscardHelper), and outputs at once.
 */
class FrameCountingDecoder {
  state = 'unconfigured';
  private base: number | null = null;
  private decodedFrames = 0;
  constructor(private readonly init: { output(data: unknown): void }) {}
  configure(): void {
    this.state = 'configured';
  }
  decode(chunk: { timestamp: number; duration: number }): void {
    this.base ??= chunk.timestamp;
    const frames = Math.round((chunk.duration * SAMPLE_RATE) / 1_000_000);
    const timestamp = this.base + Math.round((this.decodedFrames * 1_000_000) / SAMPLE_RATE);
    this.decodedFrames += frames;
    this.init.output({
      timestamp,
      numberOfFrames: frames,
      numberOfChannels: 1,
      format: 'f32',
      copyTo: () => {},
      close: () => {},
    });
  }
  close(): void {
    this.state = 'closed';
  }
}

class FakeEncodedAudioChunk {
  readonly timestamp: number;
  readonly duration: number;
  constructor(init: { timestamp: number; duration: number }) {
    this.timestamp = init.timestamp;
    this.duration = init.duration;
  }
}

/** An audio message of `count` 20 ms packets. */
const message = (count: number) => encodeOpusPackets(Array.from({ length: count }, () => PACKET));

describe('OpusDecoder', () => {
  beforeEach(() => {
    vi.stubGlobal('AudioDecoder', FrameCountingDecoder);
    vi.stubGlobal('EncodedAudioChunk', FakeEncodedAudioChunk);
  });
  afterEach(() => vi.unstubAllGlobals());

  it('gives sound after a hole in the input (stale audio dropped after a stall) its channel time', () => {
    const heard: number[] = [];
    const decoder = new OpusDecoder({
      sampleRate: SAMPLE_RATE,
      channels: 1,
      onSamples: (timestamp) => heard.push(timestamp),
      onError: (reason) => expect.fail(reason),
    });
    decoder.decode(1_000, message(2));
    // 1.6 s of the stall's audio never reached the decoder: it was behind the live edge on arrival.
    decoder.decode(2_640, message(2));
    expect(heard).toEqual([1_000, 1_020, 2_640, 2_660]);
  });

  it('starts a new decoder afresh after a reset', () => {
    const heard: number[] = [];
    const decoder = new OpusDecoder({
      sampleRate: SAMPLE_RATE,
      channels: 1,
      onSamples: (timestamp) => heard.push(timestamp),
      onError: (reason) => expect.fail(reason),
    });
    decoder.decode(1_000, message(1));
    decoder.reset();
    decoder.decode(9_000, message(1));
    expect(heard).toEqual([1_000, 9_000]);
  });
});
