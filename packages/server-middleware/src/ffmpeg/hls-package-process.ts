import { join } from 'node:path';
import { AUDIO_FORMAT } from '@onair/protocol';
import type { VideoSource } from '../source/video-source';
import { openFeedInput } from './feed-input';
import { channelGraphArgs, concatChains } from './input-args';
import { type SupervisedChild, spawnSupervised } from './supervised-child';

/** One rung of the HLS ladder as the encoder needs it. */
export interface HlsEncodeRung {
  /** Folder name and URL segment, e.g. `480p`. */
  name: string;
  width: number;
  height: number;
  videoKbps: number;
  maxKbps: number;
  bufferKbps: number;
  /** H.264 level, e.g. `3.1`. */
  level: string;
}

export interface HlsPackageSpec {
  source: VideoSource;
  /**
   * Files: second of the file the first pass starts at; null to start at 0. Broadcasts: set from the feed when the
   * process starts (the GOP before live, decoded but not encoded). Ignored for other kinds.
   */
  seekSec: number | null;
  fps: number;
  audio: boolean;
  /** Hold output to real time (files, lavfi graphs); live inputs already run at real time. */
  paced: boolean;
  /** Seconds of input, from the start, that are already due and are encoded at once rather than paced. */
  catchUpSec: number;
  segmentSeconds: number;
  windowSegments: number;
  /** Number of the first segment: `-start_number`, also in the init segment's name. */
  startNumber: number;
  /** Folder holding one sub-folder per rung (created by the caller). */
  directory: string;
  rungs: readonly HlsEncodeRung[];
  audioKbps: number;
  /** x264 preset; default `veryfast` (a packager that falls behind sheds to `ultrafast`). */
  preset?: X264Preset;
}

export type X264Preset = 'veryfast' | 'superfast' | 'ultrafast';

/** A packager writes files, not pipes: the supervised child is all there is to it. */
export type HlsPackageProcess = SupervisedChild;

// x264 at `veryfast` keeps a 720p30 + 480p30 + 360p30 ladder under one core; `zerolatency` drops B-frames and
// lookahead, which would otherwise hold every segment back by ~0.5 s.
function x264Args(preset: X264Preset): string[] {
  return ['-c:v', 'libx264', '-preset', preset, '-tune', 'zerolatency', '-profile:v', 'main'];
}

/**
 * `realtime`'s `limit`, in seconds. A frame more than `limit` off the wall clock is taken for a timestamp jump and
 * the filter starts pacing afresh from it: with the default 2 s, an encoder held up longer than that (a load
 * spike) went on paced at its new delay, behind the clock for good. Timestamps here are continuous (`fps` and
 * `aresample` fill gaps), so no real jump happens: a large limit lets a late encoder run flat out until it has
 * caught up.
 */
const REALTIME_LIMIT = 86_400;

export function initSegmentName(startNumber: number): string {
  return `init-${startNumber}.mp4`;
}

/**
 * Video: join, resample to the channel rate, then (paced inputs) hold every frame to the wall clock with
 * `realtime`. Frames before `catchUpSec` share one timestamp going into `realtime`, so they pass at once (the
 * part of the first segment that is already due) and `setpts` renumbers them afterwards. Audio gets the same
 * treatment in samples. Then one copy per rung.
 */
function filterGraph(spec: HlsPackageSpec, inputCount: 1 | 2): string {
  const joined = concatChains(inputCount, spec.audio);
  const chains = [...joined.chains];
  const count = spec.rungs.length;
  const catchUp = spec.catchUpSec.toFixed(3);
  const videoPacing = spec.paced
    ? `,setpts='max(PTS,${catchUp}/TB)',realtime=limit=${REALTIME_LIMIT},setpts=N/(FRAME_RATE*TB)`
    : '';
  const splits = spec.rungs.map((_, index) => `[s${index}]`).join('');
  chains.push(`${joined.video}fps=${spec.fps}${videoPacing},split=${count}${splits}`);
  spec.rungs.forEach((rung, index) => {
    chains.push(`[s${index}]scale=${rung.width}:${rung.height},setsar=1,format=yuv420p[v${index}]`);
  });
  if (spec.audio) {
    const audioPacing = spec.paced
      ? `,asetpts='max(PTS,${catchUp}/TB)',arealtime=limit=${REALTIME_LIMIT},asetpts=N/SR/TB`
      : '';
    const outputs = spec.rungs.map((_, index) => `[a${index}]`).join('');
    // async=1 pads or trims to the timestamps, so audio stays in step with the video across loops.
    chains.push(
      `${joined.audio}aresample=${AUDIO_FORMAT.sampleRate}:async=1:first_pts=0${audioPacing},asplit=${count}${outputs}`,
    );
  }
  return chains.join(';');
}

function rungOutputArgs(spec: HlsPackageSpec, rung: HlsEncodeRung, index: number): string[] {
  const gop = String(Math.max(1, Math.round(spec.fps * spec.segmentSeconds)));
  const folder = join(spec.directory, rung.name);
  // A broadcast read from its latest keyframe starts its segments at live, as the decoder does (`-ss` on each
  // output: on a pipe an input `-ss` outputs nothing with the 2018 build).
  const skip =
    spec.source.kind === 'broadcast' && spec.seekSec !== null ? ['-ss', spec.seekSec.toFixed(3)] : [];
  const args = [...skip, '-map', `[v${index}]`];
  if (spec.audio) args.push('-map', `[a${index}]`);
  args.push(...x264Args(spec.preset ?? 'veryfast'), '-level:v', rung.level);
  args.push('-b:v', `${rung.videoKbps}k`, '-maxrate', `${rung.maxKbps}k`, '-bufsize', `${rung.bufferKbps}k`);
  // Keyframe interval = segment length, at the same instants in every rung, so renditions switch cleanly.
  args.push('-g', gop, '-keyint_min', gop, '-sc_threshold', '0');
  args.push('-force_key_frames', `expr:gte(t,n_forced*${spec.segmentSeconds})`);
  if (spec.audio) {
    args.push(
      '-c:a',
      'aac',
      '-b:a',
      `${spec.audioKbps}k`,
      '-ac',
      '2',
      '-ar',
      String(AUDIO_FORMAT.sampleRate),
    );
  }
  args.push(
    '-f',
    'hls',
    '-hls_segment_type',
    'fmp4',
    '-hls_fmp4_init_filename',
    initSegmentName(spec.startNumber),
    '-hls_time',
    String(spec.segmentSeconds),
    '-hls_list_size',
    String(spec.windowSegments),
    // A player holding a playlist up to a window old can still fetch every segment it lists.
    '-hls_delete_threshold',
    String(spec.windowSegments),
    '-hls_flags',
    'delete_segments+independent_segments',
    '-start_number',
    String(spec.startNumber),
    '-hls_segment_filename',
    join(folder, 'seg-%d.m4s'),
    join(folder, 'index.m3u8'),
  );
  return args;
}

/**
 * The full ffmpeg argument list of a channel's HLS packager: one decode, one fMP4 HLS output per rung.
 *
 * fMP4 rather than MPEG-TS: the ffprobe the package ships (2023 static build) crashes on every MPEG-TS file, and
 * the 2018 ffmpeg cannot offset fMP4 timestamps (`-output_ts_offset` stops it splitting segments), so each run
 * starts its timestamps near 0 and the served playlists mark each run's first segment with
 * `EXT-X-DISCONTINUITY`. Every run has its own init section (`init-<startNumber>.mp4`) and its own segment
 * numbers, so no file a player may still fetch is ever overwritten.
 */
export function hlsPackageArgs(spec: HlsPackageSpec): string[] {
  const args = channelGraphArgs(spec.source, spec.seekSec, (inputCount) => filterGraph(spec, inputCount));
  spec.rungs.forEach((rung, index) => {
    args.push(...rungOutputArgs(spec, rung, index));
  });
  return args;
}

/**
 * Spawns a packager. Its output is files in `spec.directory`; stdout is not used. A broadcast is read from its
 * feed on stdin: each packager run is one more reader of the feed, beside the channel's decoder.
 */
export function spawnHlsPackageProcess(ffmpegPath: string, spec: HlsPackageSpec): HlsPackageProcess {
  const feedInput = openFeedInput(spec.source);
  const args = hlsPackageArgs(feedInput ? { ...spec, seekSec: feedInput.seekSec } : spec);
  // Never throws; a failed spawn ends `exited` with its reason (see `spawnSupervised`).
  const spawned = spawnSupervised(ffmpegPath, args, [feedInput ? 'pipe' : 'ignore', 'ignore', 'pipe']);
  feedInput?.connect(spawned);
  return spawned.child;
}
