import {
  ContainerError,
  type ContainerPiece,
  type ContainerSplitter,
  PendingBytes,
} from './container-splitter';

const HEADER_BYTES = 9;
const TAG_HEADER_BYTES = 11;
const PREVIOUS_TAG_SIZE_BYTES = 4;
const TAG_AUDIO = 8;
const TAG_VIDEO = 9;
const TAG_SCRIPT = 18;
const CODEC_AVC = 7;
const SOUND_AAC = 10;
const FRAME_KEY = 1;
const FRAME_COMMAND = 5;
/** Enhanced RTMP / FLV (HEVC, AV1, VP9): the top bit of the first video byte, then a packet type. */
const EX_HEADER = 0x80;
const EX_SEQUENCE_START = 0;
const EX_METADATA = 4;

/**
 * Cuts an FLV stream (what RTMP carries, as ffmpeg or the RTMP ingest writes it) into its init (the FLV header,
 * then the latest metadata, video configuration (AVC/HEVC sequence header) and audio configuration (AAC
 * AudioSpecificConfig), each in its slot) and one piece per audio or video tag, a video keyframe (or, without
 * video, every audio tag) being where a reader may start.
 */
export class FlvSplitter implements ContainerSplitter {
  private readonly pending: PendingBytes;
  private headerSeen = false;
  private hasVideo = true;

  constructor(private readonly maxTagBytes = 8 * 1024 * 1024) {
    this.pending = new PendingBytes(maxTagBytes);
  }

  push(chunk: Buffer): ContainerPiece[] {
    this.pending.append(chunk);
    const pieces: ContainerPiece[] = [];
    while (this.step(pieces)) {}
    return pieces;
  }

  private step(pieces: ContainerPiece[]): boolean {
    const bytes = this.pending.bytes;
    if (!this.headerSeen || bytes.subarray(0, 3).toString('latin1') === 'FLV') return this.header(pieces);
    if (bytes.length < TAG_HEADER_BYTES) return false;
    const type = (bytes[0] as number) & 0x1f;
    if ((bytes[0] as number) & 0x20) throw new ContainerError('not FLV: an encrypted tag');
    const size = bytes.readUIntBE(1, 3);
    const total = TAG_HEADER_BYTES + size + PREVIOUS_TAG_SIZE_BYTES;
    if (total > this.maxTagBytes)
      throw new ContainerError(`an FLV tag is larger than ${this.maxTagBytes} bytes`);
    if (bytes.length < total) return false;
    const tag = this.pending.take(total);
    const timeMs = tag.readUIntBE(4, 3) + (tag[7] as number) * 0x1000000;
    const data = tag.subarray(TAG_HEADER_BYTES, TAG_HEADER_BYTES + size);
    const piece = this.classify(type, data, tag, timeMs);
    if (piece) pieces.push(piece);
    return true;
  }

  private header(pieces: ContainerPiece[]): boolean {
    const bytes = this.pending.bytes;
    if (bytes.length < HEADER_BYTES) {
      if (bytes.length >= 3 && bytes.subarray(0, 3).toString('latin1') !== 'FLV') throw notFlv();
      return false;
    }
    if (bytes.subarray(0, 3).toString('latin1') !== 'FLV') throw notFlv();
    const headerSize = bytes.readUInt32BE(5);
    if (headerSize < HEADER_BYTES || headerSize > 64) throw notFlv();
    if (bytes.length < headerSize + PREVIOUS_TAG_SIZE_BYTES) return false;
    this.hasVideo = ((bytes[4] as number) & 0x01) !== 0;
    this.pending.take(headerSize + PREVIOUS_TAG_SIZE_BYTES);
    // The header as a reader needs it: 9 bytes and a zero PreviousTagSize0, whatever the publisher padded.
    const header = Buffer.from([0x46, 0x4c, 0x56, 0x01, bytes[4] as number, 0, 0, 0, 9, 0, 0, 0, 0]);
    pieces.push({ kind: 'init', slot: 'container', bytes: header });
    this.headerSeen = true;
    return true;
  }

  private classify(type: number, data: Buffer, tag: Buffer, timeMs: number): ContainerPiece | null {
    if (type === TAG_SCRIPT) return { kind: 'init', slot: 'metadata', bytes: tag };
    if (type === TAG_VIDEO) {
      if (data.length < 2) return null;
      const first = data[0] as number;
      const frameType = (first >> 4) & 0x07;
      if (first & EX_HEADER) {
        const packetType = first & 0x0f;
        if (packetType === EX_SEQUENCE_START) return { kind: 'init', slot: 'video', bytes: tag };
        if (packetType === EX_METADATA) return null;
      } else if ((first & 0x0f) === CODEC_AVC && data[1] === 0) {
        return { kind: 'init', slot: 'video', bytes: tag };
      }
      if (frameType === FRAME_COMMAND) return null;
      return { kind: 'media', bytes: tag, keyframe: frameType === FRAME_KEY, timeMs };
    }
    if (type === TAG_AUDIO) {
      if (data.length < 1) return null;
      if ((data[0] as number) >> 4 === SOUND_AAC && data[1] === 0) {
        return { kind: 'init', slot: 'audio', bytes: tag };
      }
      return { kind: 'media', bytes: tag, keyframe: !this.hasVideo, timeMs };
    }
    return null;
  }
}

function notFlv(): ContainerError {
  return new ContainerError('not FLV: it does not start with an FLV header');
}
