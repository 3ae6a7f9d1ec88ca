import type { Readable } from 'node:stream';
import type { VideoSource } from '../source/video-source';
import type { FfmpegTools } from './binaries';
import { feedInputOptions, openFeedInput } from './feed-input';
import { describeExit, spawnSupervised } from './supervised-child';

export interface PendingGrab {
  /** The JPEG bytes of one frame. */
  result: Promise<Buffer>;
  /** Kills the grab; `result` rejects. */
  cancel(): void;
}

/** ffmpeg's JPEG scale (2 best … 31 worst): 4 looks clean at thumbnail size and stays small. */
const JPEG_QSCALE = '4';

/**
 * The most a grab may print. One JPEG of a thumbnail is tens of KB; anything near this is not a thumbnail
 * (a wrong format, a huge `thumbnailWidth`), and memory per request stays bounded whatever the input.
 */
export const MAX_THUMBNAIL_BYTES = 8 * 1024 * 1024;

/** Why a grab failed, for the server log. Never sent to a client as is (it can name the input). */
export class ThumbnailGrabError extends Error {
  override readonly name = 'ThumbnailGrabError';
}

/**
 * The ffmpeg arguments of one grab; exported for tests. `skipSec` (a broadcast read from its latest keyframe):
 * media decoded but passed over, so the picture is the live one rather than the keyframe's.
 */
export function thumbnailArgs(
  source: VideoSource,
  positionSec: number | null,
  width: number,
  skipSec: number | null = null,
): string[] {
  const args = ['-hide_banner', '-nostdin', '-loglevel', 'error', ...feedInputOptions(source)];
  if (source.format !== null) args.push('-f', source.format);
  // Before `-i`: a fast input seek to the key frame before, then decoding up to the position.
  if (positionSec !== null && positionSec > 0) args.push('-ss', positionSec.toFixed(3));
  args.push('-i', source.input);
  // After `-i`: on a pipe an input `-ss` outputs nothing (the 2018 build), as for the decoder.
  if (skipSec !== null && skipSec > 0) args.push('-ss', skipSec.toFixed(3));
  args.push(
    '-map',
    '0:v:0',
    '-an',
    '-frames:v',
    '1',
    // Never wider than the source; the escaped comma keeps min() in one filter option.
    '-vf',
    `scale=w=min(${width}\\,iw):h=-2`,
    '-q:v',
    JPEG_QSCALE,
    '-f',
    'image2pipe',
    '-vcodec',
    'mjpeg',
    'pipe:1',
  );
  return args;
}

/**
 * One frame of `source` at `positionSec` (null: the first frame), scaled to `width`, as a JPEG: one ffmpeg run
 * through the supervised spawn, killed after `timeoutMs`, its output bounded by `MAX_THUMBNAIL_BYTES`. Never
 * throws; every failure (ffmpeg missing or not executable, no descriptor left, a bad input, a timeout) rejects
 * `result` with a `ThumbnailGrabError`. A broadcast is read from its feed on stdin (one more reader while the
 * grab runs), and its picture is the one at the live edge; a feed with nothing yet times out.
 */
export function grabThumbnail(
  tools: FfmpegTools,
  source: VideoSource,
  positionSec: number | null,
  width: number,
  timeoutMs: number,
): PendingGrab {
  const feedInput = openFeedInput(source);
  const args = thumbnailArgs(source, positionSec, width, feedInput?.seekSec ?? null);
  const spawned = spawnSupervised(tools.ffmpeg, args, [feedInput ? 'pipe' : 'ignore', 'pipe', 'pipe']);
  feedInput?.connect(spawned);
  const { child, pipes } = spawned;
  let failure: string | null = null;
  const stop = (reason: string) => {
    failure ??= reason;
    child.kill('SIGKILL');
  };
  const timer = setTimeout(() => stop(`timed out after ${timeoutMs} ms`), timeoutMs);
  const chunks: Buffer[] = [];
  let bytes = 0;
  const output = pipes[1] as Readable;
  output.on('data', (chunk: Buffer) => {
    if (failure !== null) return;
    bytes += chunk.length;
    if (bytes > MAX_THUMBNAIL_BYTES) stop(`printed more than ${MAX_THUMBNAIL_BYTES} bytes`);
    else chunks.push(chunk);
  });
  output.on('error', () => {});
  const result = child.exited.then((exit) => {
    clearTimeout(timer);
    const fail = (reason: string) => new ThumbnailGrabError(`thumbnail of "${source.id}": ${reason}`);
    if (exit.error) throw fail(describeExit(exit));
    if (failure !== null) throw fail(failure);
    if (exit.code !== 0) throw fail(`${describeExit(exit)}: ${child.stderrTail() || 'no message'}`);
    const jpeg = Buffer.concat(chunks);
    if (jpeg.length === 0) throw fail('ffmpeg gave no frame');
    return jpeg;
  });
  return { result, cancel: () => stop('cancelled') };
}
