import { describe, expect, it } from 'vitest';
import { AudioChunker, audioChunkBytes } from './audio-chunker';

describe('AudioChunker', () => {
  it('sizes a chunk as exactly chunkMs of 48 kHz stereo s16le', () => {
    expect(audioChunkBytes(100)).toBe(19_200);
    expect(audioChunkBytes(20)).toBe(3_840);
  });

  it('stamps chunks by sample count from the first timestamp, however the pipe splits the bytes', () => {
    const chunker = new AudioChunker(100, 5_000);
    const pcm = new Uint8Array(19_200 * 3 + 7);
    const chunks = [
      ...chunker.push(pcm.subarray(0, 1_000)),
      ...chunker.push(pcm.subarray(1_000, 40_000)),
      ...chunker.push(pcm.subarray(40_000)),
    ];
    expect(chunks.map((chunk) => chunk.timestamp)).toEqual([5_000, 5_100, 5_200]);
    expect(chunks.every((chunk) => chunk.pcm.length === 19_200)).toBe(true);
  });

  it('keeps the bytes in order across chunk boundaries', () => {
    const chunker = new AudioChunker(10, 0);
    const bytes = audioChunkBytes(10);
    const pcm = Uint8Array.from({ length: bytes * 2 }, (_, i) => i % 251);
    const chunks = [...chunker.push(pcm.subarray(0, 5)), ...chunker.push(pcm.subarray(5))];
    expect(Buffer.concat(chunks.map((chunk) => chunk.pcm))).toEqual(Buffer.from(pcm));
  });
});
