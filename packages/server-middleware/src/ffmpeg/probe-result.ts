/** What the rest of the package needs to know about an input, read from ffprobe's JSON. */
export interface ProbeResult {
  /** Seconds; null when the input has no end (devices, network streams, endless lavfi graphs). */
  durationSec: number | null;
  /**
   * Set when the file's data ends before the duration its header states (a file cut short): that stated
   * duration, while `durationSec` is where the data ends.
   */
  statedDurationSec?: number;
  /** Display size: already swapped for inputs rotated by 90° or 270° (ffmpeg rotates them when decoding). */
  width: number;
  height: number;
  /** Frames per second of the video stream; null when ffprobe cannot tell. */
  fps: number | null;
  hasAudio: boolean;
}

/** An input that ffprobe could read but that is not something we can stream, or that it could not read. */
export class ProbeError extends Error {
  override name = 'ProbeError';
}

interface ProbeStream {
  codec_type?: string;
  width?: number;
  height?: number;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  duration?: string;
  disposition?: { attached_pic?: number };
  tags?: { rotate?: string };
  side_data_list?: { rotation?: number }[];
}

function parseRate(rate: string | undefined): number | null {
  const match = /^(\d+)(?:\/(\d+))?$/.exec(rate ?? '');
  if (!match) return null;
  const value = Number(match[1]) / Number(match[2] ?? 1);
  return Number.isFinite(value) && value > 0 && value <= 1000 ? value : null;
}

function parseSeconds(text: string | undefined): number | null {
  const value = Number(text);
  return text !== undefined && Number.isFinite(value) && value > 0 ? value : null;
}

function rotationOf(stream: ProbeStream): number {
  const raw = stream.side_data_list?.find((data) => typeof data.rotation === 'number')?.rotation;
  const degrees = raw ?? Number(stream.tags?.rotate ?? 0);
  return Number.isFinite(degrees) ? (((Math.round(degrees / 90) * 90) % 360) + 360) % 360 : 0;
}

/** Reads `ffprobe -print_format json -show_format -show_streams` output. Throws `ProbeError` with a reason. */
export function parseProbeJson(text: string): ProbeResult {
  let data: { streams?: ProbeStream[]; format?: { duration?: string } };
  try {
    data = JSON.parse(text);
  } catch {
    throw new ProbeError('ffprobe printed something that is not JSON');
  }
  const streams = Array.isArray(data.streams) ? data.streams : [];
  // Cover art in music files is a one-picture "video" stream: it does not make the file a video.
  const video = streams.find(
    (stream) => stream.codec_type === 'video' && stream.disposition?.attached_pic !== 1,
  );
  if (!video) {
    const what = streams.some((stream) => stream.codec_type === 'audio')
      ? 'audio only'
      : 'no streams ffmpeg can use';
    throw new ProbeError(`has no video stream (${what})`);
  }
  const width = video.width ?? 0;
  const height = video.height ?? 0;
  if (!(width > 0 && height > 0)) throw new ProbeError('its video stream has no frame size');
  const sideways = rotationOf(video) % 180 === 90;
  return {
    durationSec: parseSeconds(data.format?.duration) ?? parseSeconds(video.duration),
    width: sideways ? height : width,
    height: sideways ? width : height,
    fps: parseRate(video.avg_frame_rate) ?? parseRate(video.r_frame_rate),
    hasAudio: streams.some((stream) => stream.codec_type === 'audio'),
  };
}
