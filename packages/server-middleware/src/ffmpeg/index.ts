/*
 * Every ffmpeg and ffprobe invocation of the package goes through this module.
 *
 * fluent-ffmpeg (archived upstream, still named by our stack) is used where it fits: the one-shot thumbnail grab,
 * whose arguments it builds and whose process it runs with a timeout. It falls short elsewhere, so those spawn
 * the binaries directly:
 * - the channel decoder needs an extra stdio pipe (audio on fd 3) and pause/resume on both pipes for pacing;
 * - the start-up probe must be synchronous (`spawnSync`) so a bad file fails `liveStream()` itself;
 * - the background probe must be killable on `close()`, which fluent-ffmpeg's `ffprobe()` is not;
 * - the HLS packager is a long-lived process that writes files, ended by signal on idle and on `close()`.
 */
export { type FfmpegTools, resolveFfmpegTools } from './binaries';
export { type DecodeProcess, type DecodeSpec, decodeArgs, spawnDecodeProcess } from './decode-process';
export {
  type HlsEncodeRung,
  type HlsPackageProcess,
  type HlsPackageSpec,
  hlsPackageArgs,
  initSegmentName,
  spawnHlsPackageProcess,
  type X264Preset,
} from './hls-package-process';
export { type PendingProbe, probeAsync, probeFileSync } from './probe';
export { ProbeError, type ProbeResult, parseProbeJson } from './probe-result';
export {
  type ChildExit,
  type ChildStatus,
  describeExit,
  KILL_GRACE_MS,
  stopWithGrace,
} from './supervised-child';
export { grabThumbnail, type PendingGrab } from './thumbnail-grab';
