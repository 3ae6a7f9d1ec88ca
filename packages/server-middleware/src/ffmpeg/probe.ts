import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import type { VideoSource } from '../source/video-source';
import type { FfmpegTools } from './binaries';
import { ffprobePacketReader, isSuspectTruncated, realDataDuration, startTimeOf } from './data-end';
import { feedInputOptions, openFeedInput } from './feed-input';
import { ProbeError, type ProbeResult, parseProbeJson } from './probe-result';
import { describeSpawnError, spawnSupervised } from './supervised-child';

const MAX_PROBE_OUTPUT_BYTES = 4 * 1024 * 1024;

function probeArgs(source: VideoSource): string[] {
  const args = [
    '-v',
    'error',
    '-print_format',
    'json',
    '-show_format',
    '-show_streams',
    ...feedInputOptions(source),
  ];
  if (source.format !== null) args.push('-f', source.format);
  // `-i` so an input that starts with "-" is never read as an option.
  args.push('-i', source.input);
  return args;
}

/** ffprobe's last error line is its reason ("Invalid data found when processing input"), without the path. */
function reasonFromStderr(stderr: string, input: string): string {
  const lines = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const last = lines.at(-1) ?? 'ffprobe failed';
  return last.startsWith(`${input}: `) ? last.slice(input.length + 2) : last;
}

function describeFileProblem(path: string): string | null {
  try {
    const stat = statSync(path);
    return stat.isFile() ? null : 'is not a file';
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : 'file cannot be read';
  }
}

/**
 * Probes a local file synchronously, so `liveStream()` fails at start-up for a missing or unplayable file.
 * Throws an Error naming the video and the reason.
 */
export function probeFileSync(tools: FfmpegTools, source: VideoSource, timeoutMs: number): ProbeResult {
  const fail = (reason: string) => new Error(`liveStream: ${source.label}: ${reason} (${source.input})`);
  const problem = describeFileProblem(source.input);
  if (problem !== null) throw fail(problem);
  const result = spawnSync(tools.ffprobe, probeArgs(source), {
    encoding: 'utf8',
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
    maxBuffer: MAX_PROBE_OUTPUT_BYTES,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (result.error) {
    const code = (result.error as NodeJS.ErrnoException).code;
    if (code === 'ETIMEDOUT') throw fail(`ffprobe timed out after ${timeoutMs} ms`);
    throw fail(`ffprobe (${tools.ffprobe}) could not run: ${describeSpawnError(result.error)}`);
  }
  if (result.status !== 0)
    throw fail(`not a readable video: ${reasonFromStderr(result.stderr, source.input)}`);
  let probed: ProbeResult;
  try {
    probed = parseProbeJson(result.stdout);
  } catch (error) {
    throw error instanceof ProbeError ? fail(error.message) : error;
  }
  return withRealDuration(tools, source, probed, result.stdout, timeoutMs);
}

/** A file cut short loops where its data ends, not at the end its header states (see `data-end.ts`). */
function withRealDuration(
  tools: FfmpegTools,
  source: VideoSource,
  probed: ProbeResult,
  probeJson: string,
  timeoutMs: number,
): ProbeResult {
  const stated = probed.durationSec;
  if (stated === null || !isSuspectTruncated(probeJson)) return probed;
  const reader = ffprobePacketReader(tools.ffprobe, source, timeoutMs);
  const real = realDataDuration(stated, startTimeOf(probeJson), reader);
  return real === null ? probed : { ...probed, durationSec: real, statedDurationSec: stated };
}

export interface PendingProbe {
  result: Promise<ProbeResult>;
  /** Kills ffprobe; `result` rejects. */
  cancel(): void;
}

/** Probes any input without blocking (network streams can take seconds); killed after `timeoutMs`. */
export function probeAsync(tools: FfmpegTools, source: VideoSource, timeoutMs: number): PendingProbe {
  // A broadcast is probed from its feed on stdin (init and the latest keyframe on: enough to know its format).
  const feedInput = openFeedInput(source);
  // Never throws: a spawn that fails (ENOENT, EACCES, EMFILE) ends `exited` with its reason.
  const spawned = spawnSupervised(tools.ffprobe, probeArgs(source), [
    feedInput ? 'pipe' : 'ignore',
    'pipe',
    'pipe',
  ]);
  feedInput?.connect(spawned);
  const { child, pipes } = spawned;
  let stdout = '';
  let failure: string | null = null;
  const stop = (reason: string) => {
    failure ??= reason;
    child.kill('SIGKILL');
  };
  const timer = setTimeout(() => stop(`ffprobe timed out after ${timeoutMs} ms`), timeoutMs);
  const output = pipes[1] as Readable;
  output.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    if (stdout.length > MAX_PROBE_OUTPUT_BYTES) stop('ffprobe printed too much');
  });
  output.on('error', () => {});
  const result = child.exited.then((exit) => {
    clearTimeout(timer);
    if (exit.error) throw new ProbeError(`ffprobe failed: ${describeSpawnError(exit.error)}`);
    if (failure !== null) throw new ProbeError(failure);
    if (exit.code !== 0)
      throw new ProbeError(`not a readable video: ${reasonFromStderr(child.stderrTail(), source.input)}`);
    return parseProbeJson(stdout);
  });
  return { result, cancel: () => stop('probe cancelled') };
}
