import sharp from 'sharp';
import type { RawFrame } from '../channel/decoder-run';

/** Encodes one raw frame at a JPEG quality; injectable so the ladder can be tested without libvips. */
export type JpegEncoder = (frame: RawFrame, quality: number) => Promise<Buffer>;

function rawImage(frame: RawFrame): ReturnType<typeof sharp> {
  return sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels: 3 } });
}

export const encodeJpeg: JpegEncoder = (frame, quality) => rawImage(frame).jpeg({ quality }).toBuffer();

const THUMBNAIL_QUALITY = 75;

/** A thumbnail from a channel's newest frame (no ffmpeg run needed while the channel is decoding). */
export function encodeThumbnail(frame: RawFrame, width: number): Promise<Buffer> {
  return rawImage(frame)
    .resize({ width: Math.min(width, frame.width) })
    .jpeg({ quality: THUMBNAIL_QUALITY })
    .toBuffer();
}
