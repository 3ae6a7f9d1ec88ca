import { describe, expect, it } from 'vitest';
import { broadcastMedia, chunksOf } from './broadcast-media.fixture';
import { ContainerError, type ContainerPiece } from './container-splitter';
import { Ids, readElementHeader } from './ebml';
import { WebmSplitter } from './webm-splitter';

const webm = broadcastMedia('webm', 3, 30);

function split(bytes: Buffer, chunkSize: number): ContainerPiece[] {
  const splitter = new WebmSplitter();
  return chunksOf(bytes, chunkSize).flatMap((chunk) => splitter.push(chunk));
}

describe('WebmSplitter', () => {
  it('gives the same pieces however the stream is chunked', () => {
    const whole = split(webm, webm.length);
    for (const size of [3, 1000, 65536]) {
      const pieces = split(webm, size);
      expect(pieces.length).toBe(whole.length);
      expect(
        Buffer.concat(pieces.map((piece) => piece.bytes)).equals(Buffer.concat(whole.map((p) => p.bytes))),
      ).toBe(true);
    }
  });

  it('starts with one init of EBML header, a Segment of unknown size, Info and Tracks', () => {
    const [init] = split(webm, 4096);
    expect(init?.kind).toBe('init');
    const bytes = (init as ContainerPiece).bytes;
    expect(readElementHeader(bytes, 0)?.id).toBe(Ids.EBML);
    const ebml = readElementHeader(bytes, 0);
    const segmentAt = (ebml?.headerLength ?? 0) + (ebml?.size ?? 0);
    const segment = readElementHeader(bytes, segmentAt);
    expect(segment).toMatchObject({ id: Ids.Segment, size: null });
    expect(bytes.includes(Buffer.from([0x16, 0x54, 0xae, 0x6b]))).toBe(true);
  });

  it('marks one video keyframe per GOP, in time order, each with a cluster header', () => {
    const media = split(webm, 4096).filter((piece) => piece.kind === 'media');
    const keyframes = media.filter((piece) => piece.kind === 'media' && piece.keyframe);
    expect(keyframes.length).toBe(3);
    for (const keyframe of keyframes) {
      expect(readElementHeader(keyframe.bytes, 0)).toMatchObject({ id: Ids.Cluster, size: null });
    }
    const keyTimes = keyframes.map((piece) => (piece.kind === 'media' ? piece.timeMs : -1));
    expect(keyTimes[1] as number).toBeGreaterThan(keyTimes[0] as number);
    expect(Math.round(((keyTimes[2] as number) - (keyTimes[1] as number)) / 100)).toBe(10);
  });

  it('reads its own output again (unknown-size clusters, as MediaRecorder writes them)', () => {
    const first = split(webm, 4096);
    const again = split(Buffer.concat(first.map((piece) => piece.bytes)), 333);
    const keyframes = (pieces: ContainerPiece[]) =>
      pieces.filter((piece) => piece.kind === 'media' && piece.keyframe).length;
    expect(keyframes(again)).toBe(keyframes(first));
    expect(again.filter((piece) => piece.kind === 'media').length).toBe(
      first.filter((piece) => piece.kind === 'media').length,
    );
  });

  it('refuses bytes that are not WebM', () => {
    expect(() => new WebmSplitter().push(Buffer.from('GET / HTTP/1.1\r\n\r\n'))).toThrow(ContainerError);
  });

  it('refuses an element larger than the bound instead of buffering it', () => {
    const splitter = new WebmSplitter(1024);
    expect(() => {
      for (const chunk of chunksOf(webm, 512)) splitter.push(chunk);
    }).toThrow(/larger than/);
  });
});
