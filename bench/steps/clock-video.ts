import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveFfmpegTools } from '@onair/server-middleware';

// A test card whose every frame says which frame it is, so a page can time what it shows against the clock:
// the channel's timeline puts frame n of a looping file on air at the wall-clock instants t with
// ((t − epoch) / 1000) mod duration = n / fps (epoch-timeline.ts; the demo's epoch is 0, the Unix epoch).

export const CLOCK_FPS = 30;
export const CLOCK_SECONDS = 60;
export const CLOCK_WIDTH = 640;
export const CLOCK_HEIGHT = 360;
/** Bits of the frame number (0 … CLOCK_SECONDS × CLOCK_FPS − 1 fits in 11). */
export const CLOCK_BITS = 11;

/** Block `i` of the code row is white when bit `i` of the frame number is set; blocks are 40 px squares. */
export const CLOCK_BLOCK = { size: 40, x0: 20, step: 54, y: 20 } as const;
/** Always white and always black, in the row below: a frame whose guards do not read so is not decoded. */
export const CLOCK_GUARDS = { white: { x: 20, y: 80 }, black: { x: 74, y: 80 } } as const;

function drawBox(x: number, y: number, enable: string | null): string {
  const { size } = CLOCK_BLOCK;
  const box = `drawbox=x=${x}:y=${y}:w=${size}:h=${size}:color=white:t=fill`;
  return enable === null ? box : `${box}:enable='${enable}'`;
}

/** The filter graph: the code row, the guards, and a white bar flashing for 3 frames every second (for eyes). */
export function clockFilterGraph(): string {
  const size = `${CLOCK_WIDTH}x${CLOCK_HEIGHT}`;
  const bits = Array.from({ length: CLOCK_BITS }, (_, bit) =>
    drawBox(CLOCK_BLOCK.x0 + bit * CLOCK_BLOCK.step, CLOCK_BLOCK.y, `mod(floor(n/${2 ** bit})\\,2)`),
  );
  const flash = `drawbox=x=0:y=${CLOCK_HEIGHT - 60}:w=iw:h=60:color=white:t=fill:enable='lt(mod(n\\,${CLOCK_FPS})\\,3)'`;
  const video = [
    `color=c=black:s=${size}:r=${CLOCK_FPS}:d=${CLOCK_SECONDS}`,
    'format=yuv420p',
    ...bits,
    drawBox(CLOCK_GUARDS.white.x, CLOCK_GUARDS.white.y, null),
    flash,
  ].join(',');
  const tone = 'sine=frequency=440:sample_rate=48000,volume=0.1,pan=stereo|c0=c0|c1=c0';
  return `${video}[v];${tone}[a]`;
}

/** Writes the clock video to `output` (about two seconds of x264 on a quiet core). */
export function writeClockVideo(output: string): Promise<void> {
  const args = [
    ...['-hide_banner', '-loglevel', 'error', '-nostats', '-y'],
    ...['-filter_complex', clockFilterGraph(), '-map', '[v]', '-map', '[a]', '-t', String(CLOCK_SECONDS)],
    // A keyframe every second, like the demo's samples: the server joins a looped file close to any position.
    ...['-c:v', 'libx264', '-preset', 'veryfast', '-g', String(CLOCK_FPS), '-sc_threshold', '0'],
    ...['-c:a', 'aac', '-b:a', '64k', '-movflags', '+faststart', '-f', 'mp4', output],
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(resolveFfmpegTools().ffmpeg, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`ffmpeg could not write the clock video: ${stderr}`)),
    );
  });
}

/** The clock video, written once per machine (20 s or so on a busy one) into the temporary folder and reused. */
export async function ensureClockVideo(): Promise<string> {
  const path = join(tmpdir(), `onair-bench-clock-${CLOCK_SECONDS}s-v1.mp4`);
  if (existsSync(path)) return path;
  const partial = `${path}.partial-${process.pid}.mp4`;
  await writeClockVideo(partial);
  await rename(partial, path);
  return path;
}

/** The duration the server loops the file at: ffprobe's `format.duration`, as the server's probe reads it. */
export function probeDurationSec(input: string): number {
  const result = spawnSync(
    resolveFfmpegTools().ffprobe,
    ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', input],
    { encoding: 'utf8' },
  );
  const duration = Number.parseFloat(result.stdout);
  if (!Number.isFinite(duration)) throw new Error(`ffprobe read no duration of ${input}: ${result.stderr}`);
  return duration;
}

/**
 * How long after it was on air the frame numbered `frame` was shown at wall-clock `shownAtMs`: the distance back
 * to the newest instant the timeline put that frame on air (epoch 0, the file looping every `durationSec`).
 */
export function frameLatencyMs(
  shownAtMs: number,
  frame: number,
  durationSec: number,
  fps = CLOCK_FPS,
): number {
  const loopMs = durationSec * 1000;
  const behind = (shownAtMs - (frame * 1000) / fps) % loopMs;
  return behind < 0 ? behind + loopMs : behind;
}

/**
 * Runs in the page before its scripts (a string: tsx would wrap a function's inner functions in a helper the page
 * does not have). For every frame any `<video>` presents it notes the wall-clock time it is expected on screen
 * and the frame number its code row reads, and it counts stalls after the first frame.
 */
export const READ_CLOCK_FRAMES = `
  const join = { firstFrame: -1, playing: -1, stalls: 0, frames: [] };
  window.__onairJoin = join;
  const W = ${CLOCK_WIDTH}, H = ${CLOCK_HEIGHT}, BITS = ${CLOCK_BITS};
  const block = ${JSON.stringify(CLOCK_BLOCK)}, guards = ${JSON.stringify(CLOCK_GUARDS)};
  const canvas = document.createElement('canvas');
  canvas.width = W;
  canvas.height = H;
  const context = canvas.getContext('2d', { willReadFrequently: true });
  const rows = block.y + 2 * block.size + 40;
  const luma = (pixels, at) => {
    const x = at.x + block.size / 2, y = at.y + block.size / 2;
    return pixels[(y * W + x) * 4];
  };
  const watched = new WeakSet();
  const watch = (event) => {
    const video = event.target;
    if (!(video instanceof HTMLVideoElement) || watched.has(video) || !video.requestVideoFrameCallback) return;
    watched.add(video);
    const onFrame = (now, metadata) => {
      if (join.firstFrame < 0) join.firstFrame = metadata.presentationTime;
      context.drawImage(video, 0, 0, W, H);
      const pixels = context.getImageData(0, 0, W, rows).data;
      if (luma(pixels, guards.white) > 160 && luma(pixels, guards.black) < 96) {
        let frame = 0;
        for (let bit = 0; bit < BITS; bit++) {
          if (luma(pixels, { x: block.x0 + bit * block.step, y: block.y }) > 128) frame += 2 ** bit;
        }
        join.frames.push([performance.timeOrigin + metadata.expectedDisplayTime, frame]);
      }
      video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
  };
  for (const type of ['loadstart', 'loadeddata']) document.addEventListener(type, watch, true);
  document.addEventListener('playing', (event) => {
    if (join.playing < 0) join.playing = performance.now();
    watch(event);
  }, true);
  document.addEventListener('waiting', () => {
    if (join.firstFrame >= 0) join.stalls++;
  }, true);
`;
