/**
 * A prior for what a JPEG rung costs before it has been encoded: bits per pixel by quality, measured with libvips
 * on the demo's 854x480 test card and fractal (`bench/` has the figures' method), and a size factor: small
 * pictures cost more per pixel (less smooth area to compress), about as the fourth root of the pixel ratio.
 * It orders the ladder and seeds `RungBitrates`, which replaces it with measured sizes as soon as it can.
 */
const BITS_PER_PIXEL_AT_480P: readonly (readonly [quality: number, bpp: number])[] = [
  [1, 0.08],
  [10, 0.15],
  [30, 0.26],
  [40, 0.305],
  [50, 0.35],
  [60, 0.4],
  [70, 0.48],
  [85, 0.69],
  [90, 0.83],
  [95, 1.2],
  [100, 2.5],
];

const REFERENCE_PIXELS = 854 * 480;

/** Estimated JPEG bits per pixel at `quality` for a `width` × `height` picture. */
export function jpegBitsPerPixel(quality: number, width: number, height: number): number {
  const table = BITS_PER_PIXEL_AT_480P;
  let bpp = table[table.length - 1]![1];
  for (let i = 1; i < table.length; i++) {
    const [q1, b1] = table[i]!;
    if (quality <= q1) {
      const [q0, b0] = table[i - 1]!;
      bpp = b0 + ((b1 - b0) * (quality - q0)) / (q1 - q0);
      break;
    }
  }
  const pixels = Math.max(1, width * height);
  return bpp * (REFERENCE_PIXELS / pixels) ** 0.25;
}

/** Estimated kbit/s of a JPEG rung at `fps` frames per second. */
export function modelKbps(width: number, height: number, quality: number, fps: number): number {
  return (jpegBitsPerPixel(quality, width, height) * width * height * fps) / 1000;
}
