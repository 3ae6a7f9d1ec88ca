import type { VideoInfo } from '@onair/protocol';
import { BEEP_MS } from './sample-media';

/**
 * The picture of a mock channel at a moment: JPEG bytes for the frame on air at `timestampMs` of the channel
 * clock, or undefined to send the mock's still sample (not ready yet, or no canvas here).
 */
export type MockPicture = (
  video: VideoInfo,
  videoIndex: number,
  timestampMs: number,
) => Uint8Array | undefined;

export interface CanvasPictureOptions {
  /** Frame size. Default 320 × 180. */
  width?: number;
  height?: number;
  /** Frames drawn per second of the one-second loop. Default 25. */
  fps?: number;
  /** JPEG quality, 0..1. Default 0.7. */
  quality?: number;
}

const HUES = [205, 15, 130, 275, 45];

/**
 * A moving test card drawn in the browser (no files, issue 12): a hand sweeping once a second, a ball crossing
 * the picture, the video's title, and a white flash on each whole second, when `beepChunk` beeps. One second of
 * frames per video is drawn on a canvas and encoded to JPEG once, on first use, in the background; until then
 * (and where there is no canvas: Node, jsdom) the mock sends its still sample.
 */
export function createCanvasPicture(options: CanvasPictureOptions = {}): MockPicture {
  const width = options.width ?? 320;
  const height = options.height ?? 180;
  const fps = options.fps ?? 25;
  const quality = options.quality ?? 0.7;
  const loops = new Map<number, Uint8Array[] | 'drawing' | 'unavailable'>();

  return (video, videoIndex, timestampMs) => {
    const loop = loops.get(videoIndex);
    if (loop === undefined) {
      loops.set(videoIndex, 'drawing');
      drawLoop({
        width,
        height,
        fps,
        quality,
        title: video.title,
        hue: HUES[videoIndex % HUES.length]!,
      }).then(
        (frames) => loops.set(videoIndex, frames ?? 'unavailable'),
        () => loops.set(videoIndex, 'unavailable'),
      );
      return undefined;
    }
    if (!Array.isArray(loop)) return undefined;
    const inSecond = ((timestampMs % 1000) + 1000) % 1000;
    return loop[Math.floor((inSecond / 1000) * loop.length)];
  };
}

interface LoopSpec {
  width: number;
  height: number;
  fps: number;
  quality: number;
  title: string;
  hue: number;
}

async function drawLoop(spec: LoopSpec): Promise<Uint8Array[] | undefined> {
  if (typeof document === 'undefined') return undefined;
  const canvas = document.createElement('canvas');
  canvas.width = spec.width;
  canvas.height = spec.height;
  const context = canvas.getContext('2d');
  // jsdom has canvas elements but no 2D context (without the optional `canvas` package).
  if (!context || typeof canvas.toBlob !== 'function') return undefined;
  const frames: Uint8Array[] = [];
  for (let index = 0; index < spec.fps; index++) {
    drawFrame(context, spec, (index * 1000) / spec.fps);
    const blob = await new Promise<Blob | null>((resolve) =>
      canvas.toBlob(resolve, 'image/jpeg', spec.quality),
    );
    if (!blob) return undefined;
    frames.push(new Uint8Array(await blob.arrayBuffer()));
  }
  return frames;
}

function drawFrame(context: CanvasRenderingContext2D, spec: LoopSpec, ms: number): void {
  const { width, height, hue, title } = spec;
  const phase = ms / 1000;
  const gradient = context.createLinearGradient(0, 0, width, height);
  gradient.addColorStop(0, `hsl(${hue} 70% 28%)`);
  gradient.addColorStop(1, `hsl(${(hue + 40) % 360} 70% 14%)`);
  context.fillStyle = gradient;
  context.fillRect(0, 0, width, height);

  const radius = Math.min(width, height) * 0.32;
  const cx = width / 2;
  const cy = height / 2;
  context.strokeStyle = 'rgb(255 255 255 / 0.5)';
  context.lineWidth = 2;
  context.beginPath();
  context.arc(cx, cy, radius, 0, 2 * Math.PI);
  context.stroke();
  const angle = phase * 2 * Math.PI - Math.PI / 2;
  context.strokeStyle = '#fff';
  context.lineWidth = 4;
  context.beginPath();
  context.moveTo(cx, cy);
  context.lineTo(cx + Math.cos(angle) * radius, cy + Math.sin(angle) * radius);
  context.stroke();

  const ballX = width * 0.1 + width * 0.8 * (0.5 - 0.5 * Math.cos(phase * 2 * Math.PI));
  context.fillStyle = `hsl(${(hue + 180) % 360} 90% 65%)`;
  context.beginPath();
  context.arc(ballX, height * 0.85, height * 0.05, 0, 2 * Math.PI);
  context.fill();

  context.fillStyle = '#fff';
  context.font = `600 ${Math.round(height * 0.09)}px system-ui, sans-serif`;
  context.textBaseline = 'top';
  context.fillText(title, width * 0.04, height * 0.05);

  if (ms < BEEP_MS) {
    context.fillStyle = 'rgb(255 255 255 / 0.55)';
    context.fillRect(0, 0, width, height);
  }
}
