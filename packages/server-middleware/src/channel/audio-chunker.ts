import { AUDIO_FORMAT } from '@onair/protocol';
import { FrameAssembler } from './frame-assembler';

export interface AudioChunk {
  /** PCM s16le, 48 kHz, stereo, interleaved: exactly `chunkMs` of sound. */
  pcm: Buffer;
  /** Channel time of the first sample. */
  timestamp: number;
}

/** Bytes of `chunkMs` of PCM in the wire format (19 200 for 100 ms). */
export function audioChunkBytes(chunkMs: number): number {
  const frames = (AUDIO_FORMAT.sampleRate * chunkMs) / 1000;
  if (!Number.isInteger(frames)) throw new RangeError(`${chunkMs} ms is not a whole number of samples`);
  return frames * AUDIO_FORMAT.channels * AUDIO_FORMAT.bytesPerSample;
}

/**
 * Cuts decoded PCM into chunks of `chunkMs`. Timestamps count samples from the decoder's start, so they stay on
 * the same clock as the video frames (both start at `firstTimestamp`) however the pipe splits the bytes.
 */
export class AudioChunker {
  private readonly assembler: FrameAssembler;
  private chunks = 0;

  constructor(
    private readonly chunkMs: number,
    private readonly firstTimestamp: number,
  ) {
    this.assembler = new FrameAssembler(audioChunkBytes(chunkMs));
  }

  push(data: Uint8Array): AudioChunk[] {
    return this.assembler.push(data).map((pcm) => ({
      pcm,
      timestamp: this.firstTimestamp + this.chunks++ * this.chunkMs,
    }));
  }
}
