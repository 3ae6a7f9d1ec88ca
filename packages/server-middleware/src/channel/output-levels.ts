import type { ChannelFormat } from './output-format';

/** What a channel's decoder outputs at one level: the frame rate and size it is restarted with. */
export interface OutputLevel {
  fps: number;
  width: number;
  height: number;
  /** The last levels: the decoder skips pictures (same output rate, fewer distinct pictures). */
  skipFrames?: 'noref' | 'nokey';
}

/** Frame rates are halved down to this floor before the size is touched: below it motion stops reading as video. */
const MIN_FPS = 12;
/** Sizes tried, in order, once the frame rate is at its floor (only those below the source's height). */
const STEP_HEIGHTS = [720, 480, 360, 240] as const;

function even(value: number): number {
  return Math.max(2, Math.round(value / 2) * 2);
}

/**
 * The levels a channel can shed down to, full output first: the frame rate halved while it stays at or above
 * `MIN_FPS` (60 → 30 → 15), then, at the lowest rate, smaller sizes with the aspect ratio kept. Frame rate goes
 * first because the raw pipe and every JPEG encode cost per frame, while a smaller size also blurs the picture
 * for viewers whose link could carry it. Last, for files, the decoder itself does less: decoding every picture of
 * the source costs the same at any output, so on a machine that cannot even do that the decoder skips the
 * pictures nothing refers to, then all but keyframes: a picture that moves less often, but live.
 */
export function outputLevels(
  format: Pick<ChannelFormat, 'fps' | 'width' | 'height'>,
  canSkipFrames = false,
): OutputLevel[] {
  const levels: OutputLevel[] = [{ fps: format.fps, width: format.width, height: format.height }];
  let fps = format.fps;
  while (fps / 2 >= MIN_FPS) {
    fps = Math.round((fps / 2) * 1000) / 1000;
    levels.push({ fps, width: format.width, height: format.height });
  }
  for (const height of STEP_HEIGHTS) {
    if (height >= format.height) continue;
    levels.push({ fps, width: even((format.width * height) / format.height), height });
  }
  if (canSkipFrames) {
    const smallest = levels.at(-1) as OutputLevel;
    levels.push({ ...smallest, skipFrames: 'noref' }, { ...smallest, skipFrames: 'nokey' });
  }
  return levels;
}
