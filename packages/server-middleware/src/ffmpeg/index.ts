/*
 * Every ffmpeg and ffprobe invocation of the package goes through this module, and every asynchronous one through
 * `spawnSupervised` (supervised-child.ts): it never throws and never hands out a child without its pipes, so a
 * binary deleted or made non-executable while running (ENOENT, EACCES) or a process out of file descriptors
 * (EMFILE) is an exit with a reason, never an exception inside a socket or HTTP handler. The styles differ by
 * need:
 * - the channel decoder needs an extra stdio pipe (audio on fd 3) and pause/resume on both pipes for pacing;
 * - the start-up probe must be synchronous (`spawnSync`) so a bad file fails `liveStream()` itself;
 * - the background probe and the thumbnail grab are one-shot runs, killed after a timeout and on `close()`,
 *   their output bounded in bytes;
 * - the HLS packager is a long-lived process that writes files, ended by signal on idle and on `close()`;
 * - the Opus encoder of a channel reads PCM on stdin and writes raw constant-bitrate Opus packets on stdout as long as Opus viewers watch.
 */
export { type FfmpegTools, resolveFfmpegTools } from './binaries';
export { type DecodeProcess, type DecodeSpec, decodeArgs, spawnDecodeProcess } from './decode-process';
export {
  announceFfmpeg,
  describeFfmpeg,
  type FfmpegInUse,
  type FfmpegVersion,
  MIN_FFMPEG_VERSION,
  outdatedWarning,
} from './ffmpeg-version';
export {
  type HlsEncodeRung,
  type HlsPackageProcess,
  type HlsPackageSpec,
  hlsPackageArgs,
  initSegmentName,
  spawnHlsPackageProcess,
  type X264Preset,
} from './hls-package-process';
export {
  type OpusEncodeProcess,
  type OpusEncodeSpec,
  opusEncodeArgs,
  opusPacketBytes,
  spawnOpusEncodeProcess,
} from './opus-encode-process';
export { type PendingProbe, probeAsync, probeFileSync } from './probe';
export { ProbeError, type ProbeResult, parseProbeJson } from './probe-result';
export {
  type ChildExit,
  type ChildStatus,
  describeExit,
  describeSpawnError,
  KILL_GRACE_MS,
  spawnSupervised,
  stopWithGrace,
} from './supervised-child';
export { grabThumbnail, type PendingGrab, ThumbnailGrabError } from './thumbnail-grab';
