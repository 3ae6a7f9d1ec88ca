/**
 * A cluster is written to the file when it closes; ffmpeg's Matroska muxer closes one at most this often, so a
 * recorder killed (or a server that crashes) loses at most about this much of the broadcast.
 */
export const CLUSTER_MS = 2_000;

/**
 * The ffmpeg arguments of one part of a recording: the broadcast's container on stdin (WebM from a browser, FLV
 * from RTMP), every stream copied as it is (no decode, no encode) into Matroska, which takes every codec either
 * sends (VP8, VP9, H.264, Opus, AAC), with clusters flushed as they close.
 */
export function recordPartArgs(container: string, path: string): string[] {
  return [
    '-hide_banner',
    '-loglevel',
    'error',
    '-f',
    container,
    '-i',
    'pipe:0',
    '-map',
    '0',
    '-c',
    'copy',
    '-f',
    'matroska',
    '-cluster_time_limit',
    String(CLUSTER_MS),
    '-flush_packets',
    '1',
    '-y',
    path,
  ];
}

/**
 * The ffmpeg arguments that join a recording's parts (listed in `listPath`, see `concatList`) into one Matroska
 * file, copied as they are. Also what makes a part whose recorder was killed whole: its duration and cues are
 * written at the end of a clean run, and this is one.
 */
export function joinPartsArgs(listPath: string, path: string): string[] {
  return [
    '-hide_banner',
    '-loglevel',
    'error',
    '-nostdin',
    '-f',
    'concat',
    '-safe',
    '0',
    '-i',
    listPath,
    '-map',
    '0',
    '-c',
    'copy',
    '-f',
    'matroska',
    '-y',
    path,
  ];
}

/** The concat demuxer's list of `paths` (ffmpeg-formats "concat"): each quoted, quotes escaped. */
export function concatList(paths: readonly string[]): string {
  return paths.map((path) => `file '${path.replaceAll("'", "'\\''")}'\n`).join('');
}
