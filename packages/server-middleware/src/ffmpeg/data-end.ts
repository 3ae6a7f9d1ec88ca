import { spawnSync } from 'node:child_process';
import type { VideoSource } from '../source/video-source';

/**
 * Where a file's data really ends, for files whose header states more than they hold: a faststart MP4 cut short
 * (a copy or an upload that stopped) keeps the `moov` of the whole file, so ffprobe reports the full duration
 * and a channel looping on it would seek into data that is not there (issue 10: "catalog says 30 s, half the
 * data exists").
 */

/** Declared bytes this far above the file's size make a file suspect (container overhead is well below it). */
const SUSPECT_SIZE_RATIO = 0.9;
/** The search stops when the last readable keyframe is known to within this. */
const SEARCH_PRECISION_SEC = 0.5;
/** A file whose stated end is readable to within this is whole. */
const END_SLACK_SEC = 1;

interface ProbeJson {
  streams?: { bit_rate?: string }[];
  format?: { size?: string; duration?: string; start_time?: string };
}

/**
 * True when the container's streams declare more bytes (their bit rates × the duration: MP4 takes them from its
 * sample tables) than the file has. Containers that declare no stream bit rate are never suspect: their
 * duration is checked by nothing here.
 */
export function isSuspectTruncated(probeJson: string): boolean {
  let data: ProbeJson;
  try {
    data = JSON.parse(probeJson);
  } catch {
    return false;
  }
  const size = Number(data.format?.size);
  const duration = Number(data.format?.duration);
  const rates = (data.streams ?? []).map((stream) => Number(stream.bit_rate));
  if (!(size > 0 && duration > 0) || rates.length === 0 || rates.some((rate) => !(rate > 0))) return false;
  const declaredBytes = (rates.reduce((sum, rate) => sum + rate, 0) * duration) / 8;
  return size < declaredBytes * SUSPECT_SIZE_RATIO;
}

/** Start time (s) of the file's timestamps, which `-read_intervals` and packet times are counted from. */
export function startTimeOf(probeJson: string): number {
  try {
    const start = Number((JSON.parse(probeJson) as ProbeJson).format?.start_time);
    return Number.isFinite(start) ? start : 0;
  } catch {
    return 0;
  }
}

/** Runs ffprobe for packet lines `pts_time,duration_time`; null when it cannot run or read. */
type PacketReader = (readInterval: string) => string | null;

function packetStarts(lines: string): number[] {
  return lines
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => Number(line.split(',')[0]))
    .filter((pts) => Number.isFinite(pts));
}

function packetEnds(lines: string): number[] {
  return lines
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.split(',').map(Number))
    .filter(([pts]) => pts !== undefined && Number.isFinite(pts))
    .map(([pts, duration]) => (pts as number) + (Number.isFinite(duration) ? (duration as number) : 0));
}

/**
 * Seconds of data the file really holds (from its first timestamp), or null when the stated duration holds. A
 * seek reads the packets of the keyframe at or before it, so "a packet after seeking to t" says the keyframe
 * before t is in the file; a bisection finds the last such keyframe and one read from it to the end finds the
 * last packet.
 */
export function realDataDuration(statedSec: number, startSec: number, read: PacketReader): number | null {
  /** The first packet's time (from the file's start) after seeking to `sec`: the keyframe at or before it. */
  const keyframeAt = (sec: number): number | null => {
    const [first] = packetStarts(read(`${(startSec + sec).toFixed(3)}%+#1`) ?? '');
    return first === undefined ? null : first - startSec;
  };
  if (keyframeAt(Math.max(0, statedSec - END_SLACK_SEC)) !== null) return null;
  let lastKeyframe = keyframeAt(0);
  if (lastKeyframe === null) return null;
  let readable = 0;
  let missing = Math.max(0, statedSec - END_SLACK_SEC);
  while (missing - readable > SEARCH_PRECISION_SEC) {
    const middle = (readable + missing) / 2;
    const keyframe = keyframeAt(middle);
    if (keyframe === null) missing = middle;
    else {
      readable = middle;
      lastKeyframe = keyframe;
    }
  }
  // From the keyframe itself, not from `readable` (a start past the last whole packet prints nothing), and with
  // an explicit length: the bundled 2018 ffprobe prints no packet at all for an open-ended interval ("4.5%").
  const from = (startSec + Math.max(0, lastKeyframe - 0.001)).toFixed(3);
  const ends = packetEnds(read(`${from}%+${Math.ceil(statedSec)}`) ?? '');
  if (ends.length === 0) return null;
  const real = Math.max(...ends) - startSec;
  return real > 0 && real < statedSec - END_SLACK_SEC ? Math.round(real * 1000) / 1000 : null;
}

/** `PacketReader` over a local file with ffprobe; all its runs together are bounded by `timeoutMs`. */
export function ffprobePacketReader(ffprobe: string, source: VideoSource, timeoutMs: number): PacketReader {
  const deadline = Date.now() + timeoutMs;
  return (readInterval) => {
    const left = deadline - Date.now();
    if (left <= 0) return null;
    const result = spawnSync(
      ffprobe,
      [
        ...['-v', 'quiet', '-read_intervals', readInterval],
        ...['-show_entries', 'packet=pts_time,duration_time', '-of', 'csv=p=0'],
        ...source.inputOptions,
        ...['-i', source.input],
      ],
      { encoding: 'utf8', timeout: left, killSignal: 'SIGKILL', stdio: ['ignore', 'pipe', 'ignore'] },
    );
    return result.error || result.status !== 0 ? null : result.stdout;
  };
}
