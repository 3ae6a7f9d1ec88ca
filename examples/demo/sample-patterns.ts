/** What a sample video looks and sounds like; `samples.ts` turns it into an ffmpeg command. */
export interface SamplePattern {
  id: string;
  title: string;
  /** A lavfi video source plus filters, ending in a 854x480 30 fps picture. */
  picture: string;
  /** Tone of the beeps, in Hz; distinct per sample so you can hear which channel is on. */
  toneHz: number;
}

const SAMPLE_WIDTH = 854;
const SAMPLE_HEIGHT = 480;
export const SAMPLE_FPS = 30;
/**
 * Every period below (the 1 s and 5 s beeps, the 10 s and 6 s bounces) divides this, so the loop seam of a
 * channel lands on a beat and the motion picks up where it started (the test pattern's counter jumps back, as
 * the clock resetting to 00:00:00 does).
 */
export const SAMPLE_SECONDS = 30;

const size = `size=${SAMPLE_WIDTH}x${SAMPLE_HEIGHT}:rate=${SAMPLE_FPS}`;

export const SAMPLE_PATTERNS: readonly SamplePattern[] = [
  {
    id: 'test-card',
    title: 'Test card',
    picture: `testsrc2=${size}`,
    toneHz: 440,
  },
  {
    id: 'colour-bars',
    title: 'Colour bars',
    // A box bouncing over the bars, so frames differ even where the bars do not.
    picture:
      `smptehdbars=${size}[bars];color=c=0xffcc00:size=120x120:rate=${SAMPLE_FPS}[box];` +
      `[bars][box]overlay=x='(W-w)*abs(1-2*mod(t/10\\,1))':y='(H-h)*abs(1-2*mod(t/6\\,1))':shortest=1`,
    toneHz: 550,
  },
  {
    // Was a Mandelbrot zoom with a turning hue: over a minute of ffmpeg on two cores for 30 s of picture (every
    // pixel iterates, every frame). This older test source moves (a scrolling gradient, a counter) for almost
    // nothing, and its sharp edges still make a detailed JPEG.
    id: 'test-pattern',
    title: 'Test pattern',
    picture: `testsrc=${size}`,
    toneHz: 660,
  },
];
