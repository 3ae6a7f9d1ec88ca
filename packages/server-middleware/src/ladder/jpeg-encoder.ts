import sharp from 'sharp';
import type { RawFrame } from './frames';

/** Encodes one raw frame at a JPEG quality; injectable so the ladder can be tested without libvips. */
export type JpegEncoder = (frame: RawFrame, quality: number) => Promise<Buffer>;

export const encodeJpeg: JpegEncoder = (frame, quality) =>
  sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels: 3 } })
    .jpeg({ quality })
    .toBuffer();
