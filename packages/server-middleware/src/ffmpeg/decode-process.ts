import type { Readable } from 'node:stream';
import { AUDIO_FORMAT } from '@onair/protocol';
import type { VideoSource } from '../source/video-source';
import { openFeedInput } from './feed-input';
import { channelGraphArgs, concatChains } from './input-args';
import { type SupervisedChild, spawnSupervised } from './supervised-child';

/** One decode: what to read and the exact raw format to write. */
export interface DecodeSpec {
  source: VideoSource;
  /**
   * Files: second of the file the first pass starts at; null to start at 0. Broadcasts: set from the feed when the
   * process starts (what to skip to reach live). Ignored for other kinds.
   */
  seekSec: number | null;
  fps: number;
  width: number;
  height: number;
  audio: boolean;
  /**
   * Pictures the video decoder skips to save CPU where even the smallest output cannot keep up: `noref` (those no
   * other picture refers to, B-frames mostly), `nokey` (all but keyframes). The fps filter repeats the pictures it
   * gets, so the output rate stays the same.
   */
  skipFrames?: 'noref' | 'nokey';
}

export interface DecodeProcess extends SupervisedChild {
  /** Raw `rgb24` frames of `width × height × 3` bytes, back to back. */
  readonly video: Readable;
  /** PCM s16le, 48 kHz, stereo, interleaved; null when the spec has no audio. */
  readonly audio: Readable | null;
}

function filterGraph(spec: DecodeSpec, inputCount: 1 | 2): string {
  const joined = concatChains(inputCount, spec.audio);
  const chains = [...joined.chains];
  chains.push(
    `${joined.video}fps=${spec.fps},scale=${spec.width}:${spec.height},setsar=1,format=rgb24[vout]`,
  );
  if (spec.audio) {
    // async=1 pads or trims to the timestamps, so sample counts stay in step with the video across loops.
    const { sampleRate } = AUDIO_FORMAT;
    chains.push(
      `${joined.audio}aresample=${sampleRate}:async=1:first_pts=0,` +
        `aformat=sample_fmts=s16:sample_rates=${sampleRate}:channel_layouts=stereo[aout]`,
    );
  }
  return chains.join(';');
}

/**
 * A broadcast's pictures are decoded one at a time as they come: frame threading (ffmpeg's default, a thread per
 * core and one more) holds each picture back until the threads after it have started theirs, two frames on this
 * machine, and the picture of a live input then reaches its viewers that much after its sound.
 */
const LIVE_DECODER_OPTIONS: readonly string[] = ['-thread_type', 'slice'];

/** The full ffmpeg argument list for a decode; exported for tests and logs. */
export function decodeArgs(spec: DecodeSpec): string[] {
  const skipFrames = spec.skipFrames ? ['-skip_frame:v', spec.skipFrames] : [];
  const args = channelGraphArgs(spec.source, spec.seekSec, (inputCount) => filterGraph(spec, inputCount), [
    ...skipFrames,
    ...(spec.source.kind === 'broadcast' ? LIVE_DECODER_OPTIONS : []),
  ]);
  // A broadcast read from its latest keyframe decodes the GOP up to live but outputs from live on. `-ss` on the
  // outputs, not the input: on a pipe, an input `-ss` outputs nothing at all (the 2018 build, WebM and FLV alike).
  const skip =
    spec.source.kind === 'broadcast' && spec.seekSec !== null ? ['-ss', spec.seekSec.toFixed(3)] : [];
  args.push(...skip, '-map', '[vout]', '-f', 'rawvideo', 'pipe:1');
  if (spec.audio) args.push(...skip, '-map', '[aout]', '-f', 's16le', 'pipe:3');
  return args;
}

/**
 * Spawns the one decoder of a channel: video on stdout and audio on fd 3 from the same process, so both come
 * off one clock. Pacing is the caller's job (it pauses `video` and `audio` to hold ffmpeg back).
 */
export function spawnDecodeProcess(ffmpegPath: string, spec: DecodeSpec): DecodeProcess {
  const feedInput = openFeedInput(spec.source);
  const args = decodeArgs(feedInput ? { ...spec, seekSec: feedInput.seekSec } : spec);
  // Never throws; a failed spawn gives ended pipes and its reason in `exited` (see `spawnSupervised`).
  const spawned = spawnSupervised(ffmpegPath, args, [
    feedInput ? 'pipe' : 'ignore',
    'pipe',
    'pipe',
    spec.audio ? 'pipe' : 'ignore',
  ]);
  feedInput?.connect(spawned);
  const { child, pipes } = spawned;
  // The stdio layout above guarantees these pipes.
  // Object.assign keeps the child's `isRunning` getter live (a spread would copy its value once).
  return Object.assign(child, {
    video: pipes[1] as Readable,
    audio: spec.audio ? (pipes[3] as Readable) : null,
  });
}
