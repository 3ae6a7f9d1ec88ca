import { rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FfmpegTools } from '../ffmpeg/binaries';
import { probeAsync } from '../ffmpeg/probe';
import { describeExit, type SupervisedChild, spawnSupervised } from '../ffmpeg/supervised-child';
import { normalizeVideoInput } from '../source/video-source';
import { concatList, joinPartsArgs } from './recording-args';

/** The one file a recording ends as, in its folder. */
export const RECORDING_FILE = 'recording.mkv';

export interface JoinedRecording {
  path: string;
  bytes: number;
  durationSec: number;
}

export interface JoinDeps {
  tools: FfmpegTools;
  probeTimeoutMs: number;
  /** The join's ffmpeg, so that stopping the recording can kill it. */
  running(child: SupervisedChild | null): void;
}

/**
 * Makes a recording's one playable file from its parts (each a Matroska file, the last run's perhaps cut short by
 * a crash): all of them joined in order, or, when that fails (a part with no media, parts whose codec settings
 * differ), the largest alone. Checked by probing: the file must have a duration. The parts are deleted once the
 * file is made; on failure they stay. Rejects with why when no file could be made.
 */
export async function joinRecording(
  folder: string,
  parts: readonly string[],
  deps: JoinDeps,
): Promise<JoinedRecording> {
  const sizes = await Promise.all(
    parts.map((part) =>
      stat(part).then(
        (info) => info.size,
        () => 0,
      ),
    ),
  );
  const present = parts.filter((_, index) => (sizes[index] ?? 0) > 0);
  if (present.length === 0) throw new Error('no part of the recording was written');
  const largest = present.reduce((best, part) =>
    (sizes[parts.indexOf(part)] ?? 0) > (sizes[parts.indexOf(best)] ?? 0) ? part : best,
  );
  const attempts = present.length > 1 ? [present, [largest]] : [present];
  const output = join(folder, RECORDING_FILE);
  let why = '';
  for (const attempt of attempts) {
    try {
      const joined = await joinOnce(folder, attempt, output, deps);
      await Promise.all([...parts, join(folder, 'parts.txt')].map((path) => rm(path, { force: true })));
      return joined;
    } catch (error) {
      why = error instanceof Error ? error.message : String(error);
    }
  }
  throw new Error(why);
}

async function joinOnce(
  folder: string,
  parts: readonly string[],
  output: string,
  deps: JoinDeps,
): Promise<JoinedRecording> {
  const list = join(folder, 'parts.txt');
  await writeFile(list, concatList(parts));
  const { child } = spawnSupervised(deps.tools.ffmpeg, joinPartsArgs(list, output), [
    'ignore',
    'ignore',
    'pipe',
  ]);
  deps.running(child);
  const exit = await child.exited;
  deps.running(null);
  if (exit.code !== 0)
    throw new Error(`joining the parts failed: ${describeExit(exit)}: ${child.stderrTail()}`);
  const source = normalizeVideoInput({ input: output, id: 'recording' }, 'recording');
  const probe = await probeAsync(deps.tools, source, deps.probeTimeoutMs).result;
  if (probe.durationSec === null || probe.durationSec <= 0)
    throw new Error('the joined file has no duration');
  const { size } = await stat(output);
  return { path: output, bytes: size, durationSec: probe.durationSec };
}
