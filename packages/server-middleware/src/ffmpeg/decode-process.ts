import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { AUDIO_FORMAT } from '@onair/protocol';
import type { VideoSource } from '../catalog/video-source';

/** One decode: what to read and the exact raw format to write. */
export interface DecodeSpec {
  source: VideoSource;
  /** Files: second of the file the first pass starts at; null to start at 0. Ignored for other kinds. */
  seekSec: number | null;
  fps: number;
  width: number;
  height: number;
  audio: boolean;
}

export interface DecodeExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be spawned at all. */
  error: Error | null;
}

export interface DecodeProcess {
  readonly pid: number | null;
  /** Raw `rgb24` frames of `width × height × 3` bytes, back to back. */
  readonly video: Readable;
  /** PCM s16le, 48 kHz, stereo, interleaved; null when the spec has no audio. */
  readonly audio: Readable | null;
  /** Settles once the process has exited and its pipes have closed. */
  readonly exited: Promise<DecodeExit>;
  /** The last lines ffmpeg wrote to stderr, for logs. */
  stderrTail(): string;
  kill(signal?: NodeJS.Signals): void;
}

const STDERR_TAIL_CHARS = 2048;

function inputArgs(spec: DecodeSpec): { args: string[]; inputCount: number } {
  const { source } = spec;
  if (source.kind !== 'file') {
    const format = source.format === null ? [] : ['-f', source.format];
    return { args: [...source.inputOptions, ...format, '-i', source.input], inputCount: 1 };
  }
  // `-ss` together with `-stream_loop` on one input loops back to the wrong place (checked with the bundled
  // 2018 build), so a file is opened twice: one pass from the seek point, then an endless loop from 0, joined
  // by the concat filter. The second input is only read once the first has ended.
  const loop = [...source.inputOptions, '-stream_loop', '-1', '-i', source.input];
  if (spec.seekSec === null) return { args: loop, inputCount: 1 };
  return {
    args: [...source.inputOptions, '-ss', spec.seekSec.toFixed(3), '-i', source.input, ...loop],
    inputCount: 2,
  };
}

function filterGraph(spec: DecodeSpec, inputCount: number): string {
  const chains: string[] = [];
  let video = '[0:v:0]';
  let audio = '[0:a:0]';
  if (inputCount === 2) {
    const audioPads = spec.audio ? '[0:a:0]' : '';
    const audioPads2 = spec.audio ? '[1:a:0]' : '';
    const audioOut = spec.audio ? '[acat]' : '';
    chains.push(
      `[0:v:0]${audioPads}[1:v:0]${audioPads2}concat=n=2:v=1:a=${spec.audio ? 1 : 0}[vcat]${audioOut}`,
    );
    video = '[vcat]';
    audio = '[acat]';
  }
  chains.push(`${video}fps=${spec.fps},scale=${spec.width}:${spec.height},setsar=1,format=rgb24[vout]`);
  if (spec.audio) {
    // async=1 pads or trims to the timestamps, so sample counts stay in step with the video across loops.
    const { sampleRate } = AUDIO_FORMAT;
    chains.push(
      `${audio}aresample=${sampleRate}:async=1:first_pts=0,` +
        `aformat=sample_fmts=s16:sample_rates=${sampleRate}:channel_layouts=stereo[aout]`,
    );
  }
  return chains.join(';');
}

/** The full ffmpeg argument list for a decode; exported for tests and logs. */
export function decodeArgs(spec: DecodeSpec): string[] {
  const { args: inputs, inputCount } = inputArgs(spec);
  const args = ['-hide_banner', '-nostdin', '-loglevel', 'error', ...inputs];
  args.push('-filter_complex', filterGraph(spec, inputCount));
  args.push('-map', '[vout]', '-f', 'rawvideo', 'pipe:1');
  if (spec.audio) args.push('-map', '[aout]', '-f', 's16le', 'pipe:3');
  return args;
}

/**
 * Spawns the one decoder of a channel: video on stdout and audio on fd 3 from the same process, so both come
 * off one clock. Pacing is the caller's job (it pauses `video` and `audio` to hold ffmpeg back).
 */
export function spawnDecodeProcess(ffmpegPath: string, spec: DecodeSpec): DecodeProcess {
  const child = spawn(ffmpegPath, decodeArgs(spec), {
    stdio: ['ignore', 'pipe', 'pipe', spec.audio ? 'pipe' : 'ignore'],
  });
  // The stdio layout above guarantees these pipes.
  const video = child.stdout as Readable;
  let stderr = '';
  (child.stderr as Readable).setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_TAIL_CHARS);
  });
  const exited = new Promise<DecodeExit>((resolve) => {
    child.once('error', (error) => resolve({ code: null, signal: null, error }));
    child.once('close', (code, signal) => resolve({ code, signal, error: null }));
  });
  return {
    pid: child.pid ?? null,
    video,
    audio: spec.audio ? (child.stdio[3] as Readable) : null,
    exited,
    stderrTail: () => stderr.trim(),
    kill: (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
}
