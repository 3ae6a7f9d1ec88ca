import { PassThrough } from 'node:stream';
import ffmpeg from 'fluent-ffmpeg';
import type { VideoSource } from '../source/video-source';
import type { FfmpegTools } from './binaries';

export interface PendingGrab {
  /** The JPEG bytes of one frame. */
  result: Promise<Buffer>;
  /** Kills the grab (also before ffmpeg has been spawned); `result` rejects. */
  cancel(): void;
}

const JPEG_QSCALE = '4';
const silentLogger = { debug() {}, info() {}, warn() {}, error() {} };

/** One frame of `source` at `positionSec` (null: the first frame), scaled to `width`, as a JPEG. */
export function grabThumbnail(
  tools: FfmpegTools,
  source: VideoSource,
  positionSec: number | null,
  width: number,
  timeoutMs: number,
): PendingGrab {
  const command = ffmpeg({ timeout: Math.max(1, Math.ceil(timeoutMs / 1000)), logger: silentLogger })
    .setFfmpegPath(tools.ffmpeg)
    .setFfprobePath(tools.ffprobe)
    .input(source.input);
  if (source.format !== null) command.inputFormat(source.format);
  if (source.inputOptions.length > 0) command.inputOptions(...source.inputOptions);
  if (positionSec !== null && positionSec > 0) command.seekInput(positionSec.toFixed(3));
  command
    .noAudio()
    // Never wider than the source; the escaped comma keeps min() in one filter option.
    .videoFilters(`scale=w=min(${width}\\,iw):h=-2`)
    .frames(1)
    .outputOptions('-q:v', JPEG_QSCALE)
    .format('mjpeg');

  let cancelled = false;
  const chunks: Buffer[] = [];
  const output = new PassThrough();
  output.on('data', (chunk: Buffer) => chunks.push(chunk));
  const result = new Promise<Buffer>((resolve, reject) => {
    // fluent-ffmpeg first runs its capability checks; a cancel that lands before the spawn is applied here.
    command.on('start', () => {
      if (cancelled) command.kill('SIGKILL');
    });
    command.on('error', (error: Error) => reject(cancelled ? new Error('thumbnail grab cancelled') : error));
    command.on('end', () => {
      const jpeg = Buffer.concat(chunks);
      if (jpeg.length === 0) reject(new Error(`ffmpeg gave no frame for "${source.id}"`));
      else resolve(jpeg);
    });
  });
  command.pipe(output, { end: true });
  return {
    result,
    cancel: () => {
      cancelled = true;
      command.kill('SIGKILL');
    },
  };
}
