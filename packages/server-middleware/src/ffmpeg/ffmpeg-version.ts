import { spawnSync } from 'node:child_process';
import { sep } from 'node:path';
import { describeSpawnError } from './supervised-child';

/**
 * The oldest ffmpeg release line OnAir's argument lists are written for (4.0, April 2018, the year of the
 * bundled npm build). An older one still starts, with a warning: some runs may fail on options it lacks.
 */
export const MIN_FFMPEG_VERSION: readonly [major: number, minor: number] = [4, 0];
// A git snapshot has no release number; one built before the year of 4.0 is certainly older.
const MIN_SNAPSHOT_YEAR = 2018;

/** What `ffmpeg -version` says about itself. */
export interface FfmpegVersion {
  /** As it names itself: `7.1.1`, `4.4.2-0ubuntu0.22.04.1`, `N-47683-g0e8eb07980-static` (a git snapshot). */
  name: string;
  /** `[major, minor]` of a release; null for a git snapshot, which has no release number. */
  release: [major: number, minor: number] | null;
  /** The last year of its copyright line (about when it was built); null when it prints none. */
  year: number | null;
}

/** The ffmpeg every run of this server uses, as `liveStream()` logs it and `onair serve` shows it. */
export interface FfmpegInUse {
  path: string;
  /** Where it was found: `FFMPEG_PATH`, the `PATH`, or the npm package `@ffmpeg-installer/ffmpeg`. */
  from: 'FFMPEG_PATH' | 'PATH' | '@ffmpeg-installer/ffmpeg';
  /** Null when `ffmpeg -version` did not answer in time or said nothing readable. */
  version: FfmpegVersion | null;
  /** Older than `MIN_FFMPEG_VERSION` (a release below it, or a git snapshot built before 2018). */
  outdated: boolean;
}

const VERSION_LINE = /^ffmpeg version (\S+)/m;
const RELEASE = /^n?(\d+)\.(\d+)/;
const COPYRIGHT_YEAR = /Copyright \(c\) (?:\d{4}-)?(\d{4})/;

/** Reads the output of `ffmpeg -version`; null when it is not ffmpeg's. */
export function parseFfmpegVersion(output: string): FfmpegVersion | null {
  const name = VERSION_LINE.exec(output)?.[1];
  if (name === undefined) return null;
  const release = RELEASE.exec(name);
  const year = COPYRIGHT_YEAR.exec(output)?.[1];
  return {
    name,
    release: release ? [Number(release[1]), Number(release[2])] : null,
    year: year === undefined ? null : Number(year),
  };
}

export function isOutdated(version: FfmpegVersion): boolean {
  if (version.release === null) return version.year !== null && version.year < MIN_SNAPSHOT_YEAR;
  const [major, minor] = version.release;
  const [minMajor, minMinor] = MIN_FFMPEG_VERSION;
  return major < minMajor || (major === minMajor && minor < minMinor);
}

function origin(path: string, env: string | undefined): FfmpegInUse['from'] {
  if (env !== undefined && path === env) return 'FFMPEG_PATH';
  return path.split(sep).includes('@ffmpeg-installer') ? '@ffmpeg-installer/ffmpeg' : 'PATH';
}

/**
 * Asks the binary at `path` for its version (`ffmpeg -version`, synchronous like the start-up probe: a few
 * milliseconds, once per `liveStream()`). An ffmpeg that does not answer is not an error here: the runs that
 * need it report their own failures.
 */
export function inspectFfmpeg(
  path: string,
  timeoutMs: number,
  env = process.env.FFMPEG_PATH,
): FfmpegInUse & { problem: string | null } {
  const result = spawnSync(path, ['-hide_banner', '-version'], {
    encoding: 'utf8',
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
    maxBuffer: 256 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const version = result.error ? null : parseFfmpegVersion(result.stdout);
  const problem = result.error
    ? `ffmpeg -version failed: ${describeSpawnError(result.error)}`
    : version === null
      ? `ffmpeg -version printed no version (exit ${result.status})`
      : null;
  return {
    path,
    from: origin(path, env),
    version,
    outdated: version !== null && isOutdated(version),
    problem,
  };
}

/** One line for people: `ffmpeg 7.1.1 at /usr/bin/ffmpeg (from the PATH)`. */
export function describeFfmpeg({ path, from, version }: FfmpegInUse): string {
  const name =
    version === null
      ? 'ffmpeg of unknown version'
      : version.release === null
        ? `ffmpeg ${version.name} (a git snapshot${version.year === null ? '' : ` of ${version.year}`})`
        : `ffmpeg ${version.name}`;
  const where = from === 'PATH' ? 'the PATH' : from;
  return `${name} at ${path} (from ${where})`;
}

/** The warning for an outdated ffmpeg, saying how to use another. */
export function outdatedWarning(ffmpeg: FfmpegInUse): string {
  return (
    `${describeFfmpeg(ffmpeg)} is older than ffmpeg ${MIN_FFMPEG_VERSION.join('.')}, the oldest OnAir is ` +
    'meant for: some runs may fail. Set FFMPEG_PATH to a newer ffmpeg (and FFPROBE_PATH to its ffprobe)'
  );
}

/** Where `announceFfmpeg` writes (it is `liveStream()`'s logger). */
export interface FfmpegAnnouncer {
  warn(message: string, details?: Record<string, unknown>): void;
  info?(message: string, details?: Record<string, unknown>): void;
}

/**
 * Reads the ffmpeg in use and says so at start: `info` with its path and version, `warn` when it is older than
 * `MIN_FFMPEG_VERSION` or did not tell its version.
 */
export function announceFfmpeg(path: string, logger: FfmpegAnnouncer, timeoutMs: number): FfmpegInUse {
  const { problem, ...ffmpeg } = inspectFfmpeg(path, timeoutMs);
  const details = { path, from: ffmpeg.from, version: ffmpeg.version?.name ?? null };
  logger.info?.(`using ${describeFfmpeg(ffmpeg)}`, details);
  if (problem !== null) logger.warn(`${problem}; its version is unknown`, details);
  else if (ffmpeg.outdated) logger.warn(outdatedWarning(ffmpeg), details);
  return ffmpeg;
}
