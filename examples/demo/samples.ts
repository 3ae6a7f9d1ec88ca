import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveFfmpegTools } from '@onair/server-middleware';
import { SAMPLE_FPS, SAMPLE_PATTERNS, SAMPLE_SECONDS, type SamplePattern } from './sample-patterns';

/** A generated sample, in the shape `liveStream()` accepts as a video entry. */
export interface SampleVideo {
  id: string;
  title: string;
  input: string;
}

export interface SampleOptions {
  /** Where the files go; default `examples/demo/.generated/samples`. */
  directory?: string;
  /** Progress lines; default `console.log`. */
  log?: (line: string) => void;
}

const DEFAULT_SAMPLES_DIRECTORY = fileURLToPath(new URL('./.generated/samples/', import.meta.url));

const require = createRequire(import.meta.url);
const FONT_PATH = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSansMono.ttf');

// A 100 ms beep every second and a 400 ms one every five: the flash box below blinks with the same
// expression, so audio/video sync can be checked by eye and ear.
const BEEP_ON = 'lt(mod(t\\,1)\\,0.1)+lt(mod(t\\,5)\\,0.4)';

function filterGraph(pattern: SamplePattern): string {
  // ffmpeg runs with the font's folder as its working directory, so the font needs no filter-graph escaping.
  const font = `fontfile=${path.basename(FONT_PATH)}`;
  const box = 'fontcolor=white:box=1:boxcolor=black@0.6';
  const title = `drawtext=${font}:text='${pattern.title}':fontsize=32:${box}:boxborderw=8:x=24:y=24`;
  const clock = `drawtext=${font}:text='%{pts\\:hms}':fontsize=56:${box}:boxborderw=10:x=(w-tw)/2:y=h-th-32`;
  const flash = `drawbox=x=iw-104:y=24:w=80:h=80:color=white:t=fill:enable='${BEEP_ON}'`;
  const tone =
    `sine=frequency=${pattern.toneHz}:sample_rate=48000:samples_per_frame=480,` +
    `volume='0.5*gt(${BEEP_ON}\\,0)':eval=frame,pan=stereo|c0=c0|c1=c0`;
  return `${pattern.picture}[picture];[picture]${title},${clock},${flash}[v];${tone}[a]`;
}

function ffmpegArguments(pattern: SamplePattern, output: string): string[] {
  return [
    ...['-hide_banner', '-loglevel', 'error', '-nostats', '-y'],
    ...['-filter_complex', filterGraph(pattern), '-map', '[v]', '-map', '[a]', '-t', String(SAMPLE_SECONDS)],
    // A keyframe every second: the server can start decoding a looped or joined file close to any position.
    // `superfast`: a sample is written once and read back locally, so a larger file beats a longer first run.
    ...['-c:v', 'libx264', '-preset', 'superfast', '-pix_fmt', 'yuv420p'],
    ...['-g', String(SAMPLE_FPS), '-keyint_min', String(SAMPLE_FPS), '-sc_threshold', '0'],
    ...['-c:a', 'aac', '-b:a', '128k', '-ar', '48000', '-ac', '2'],
    ...['-movflags', '+faststart', '-f', 'mp4', output],
  ];
}

function runFfmpeg(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(resolveFfmpegTools().ffmpeg, args, {
      cwd: path.dirname(FONT_PATH),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`ffmpeg exited with ${signal ?? `code ${code}`}:\n${stderr.trim()}`));
    });
  });
}

async function generateSample(pattern: SamplePattern, target: string) {
  // Written under a temporary name and renamed when complete, so an interrupted run never leaves a
  // half-written file that a later run would take for finished.
  const partial = `${target}.partial-${process.pid}`;
  try {
    await runFfmpeg(ffmpegArguments(pattern, partial));
    await rename(partial, target);
  } finally {
    await rm(partial, { force: true });
  }
}

/**
 * Makes sure the three demo samples exist (generating the missing ones with ffmpeg: a few seconds each on two
 * idle cores) and returns them as video entries for `liveStream()`.
 */
export async function ensureSampleVideos(options: SampleOptions = {}): Promise<SampleVideo[]> {
  const directory = options.directory ?? DEFAULT_SAMPLES_DIRECTORY;
  const log = options.log ?? console.log;
  await mkdir(directory, { recursive: true });
  const videos: SampleVideo[] = [];
  for (const [index, pattern] of SAMPLE_PATTERNS.entries()) {
    const input = path.join(directory, `${pattern.id}.mp4`);
    if (!existsSync(input)) {
      // One line per step, said before it starts: the wait that follows is the step it names.
      log(
        `Generating sample ${index + 1}/${SAMPLE_PATTERNS.length}: ${pattern.title} (${pattern.toneHz} Hz)…`,
      );
      await generateSample(pattern, input);
    }
    videos.push({ id: pattern.id, title: pattern.title, input });
  }
  return videos;
}
