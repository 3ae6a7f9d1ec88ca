import { describe, expect, it } from 'vitest';
import { broadcastMedia, chunksOf } from './broadcast-media.fixture';
import { ContainerError, type ContainerPiece } from './container-splitter';
import { FlvSplitter } from './flv-splitter';

const flv = broadcastMedia('flv', 3, 30);

function split(bytes: Buffer, chunkSize: number): ContainerPiece[] {
  const splitter = new FlvSplitter();
  return chunksOf(bytes, chunkSize).flatMap((chunk) => splitter.push(chunk));
}

describe('FlvSplitter', () => {
  it('puts the header, metadata and both sequence headers in the init slots', () => {
    const slots = split(flv, 4096)
      .filter((piece) => piece.kind === 'init')
      .map((piece) => (piece.kind === 'init' ? piece.slot : ''));
    expect(slots).toEqual(['container', 'metadata', 'video', 'audio']);
  });

  it('marks one keyframe per GOP and passes every other tag whole', () => {
    const pieces = split(flv, 1000);
    const media = pieces.filter((piece) => piece.kind === 'media');
    const keyTimes = media.flatMap((piece) =>
      piece.kind === 'media' && piece.keyframe ? [piece.timeMs] : [],
    );
    expect(keyTimes.length).toBeGreaterThanOrEqual(3);
    const [first = 0, second = 0, third = 0] = keyTimes;
    expect([second - first, third - second]).toEqual([1000, 1000]);
    // Every tag: its header, data and PreviousTagSize; the whole file is header + tags.
    const total = pieces.reduce((sum, piece) => sum + piece.bytes.length, 0);
    expect(total).toBe(flv.length);
    for (const piece of media)
      expect(piece.bytes.readUInt32BE(piece.bytes.length - 4)).toBe(piece.bytes.length - 4);
  });

  it('gives the same pieces however the stream is chunked', () => {
    const whole = split(flv, flv.length).map((piece) => piece.bytes.toString('hex'));
    expect(split(flv, 7).map((piece) => piece.bytes.toString('hex'))).toEqual(whole);
  });

  it('refuses bytes that are not FLV', () => {
    expect(() => new FlvSplitter().push(Buffer.from('\x1aE\xdf\xa3 not flv', 'latin1'))).toThrow(
      ContainerError,
    );
  });
});
