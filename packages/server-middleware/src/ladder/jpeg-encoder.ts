import sharp from 'sharp';
import type { RawFrame } from './frames';

/** Encodes one raw frame at a JPEG quality; injectable so the ladder can be tested without libvips. */
export type JpegEncoder = (frame: RawFrame, quality: number) => Promise<Buffer>;

/** Scales one raw rgb24 frame to `width` × `height`; injectable like the encoder (and countable in tests). */
export type RawScaler = (frame: RawFrame, width: number, height: number) => Promise<RawFrame>;

const raw = (frame: RawFrame) => ({
  raw: { width: frame.width, height: frame.height, channels: 3 as const },
});

export const encodeJpeg: JpegEncoder = (frame, quality) =>
  sharp(frame.data, raw(frame)).jpeg({ quality }).toBuffer();

export const scaleRaw: RawScaler = async (frame, width, height) => ({
  data: await sharp(frame.data, raw(frame)).resize(width, height, { fit: 'fill' }).raw().toBuffer(),
  width,
  height,
  timestamp: frame.timestamp,
});
