import { describe, expect, it } from 'vitest';
import type { PendingProbe, ProbeResult } from '../ffmpeg';
import { type LiveStreamOptions, resolveOptions } from '../options/live-stream-options';
import { normalizeVideoInputs } from '../source/video-source';
import { FormatProbe, PixelRateRefused } from './format-probe';

const TOOLS = { ffmpeg: 'ffmpeg', ffprobe: 'ffprobe' };
const EIGHT_K: ProbeResult = { durationSec: 1, width: 7680, height: 4320, fps: 30, hasAudio: false };
const [FILE] = normalizeVideoInputs(['/videos/eight-k.mp4']);
const [CAMERA] = normalizeVideoInputs([{ id: 'camera', input: 'rtsp://user:secret@camera.example/live' }]);

function optionsWithWarnings(options: LiveStreamOptions = {}) {
  const warnings: string[] = [];
  const resolved = resolveOptions({
    ...options,
    logger: { error() {}, warn: (m: string) => warnings.push(m) },
  });
  return { resolved, warnings };
}

/** A background probe that answers `result` at once. */
const answering = (result: ProbeResult) => (): PendingProbe => ({
  result: Promise.resolve(result),
  cancel() {},
});

describe('FormatProbe over maxPixelRate', () => {
  it('scales a file probed at start-up, and warns naming it', () => {
    const { resolved, warnings } = optionsWithWarnings();
    const probe = new FormatProbe(TOOLS, FILE!, resolved, EIGHT_K, () => {});
    expect(probe.format?.height).toBeLessThan(4320);
    expect(warnings).toEqual([
      expect.stringMatching(
        /^videos\[0\] .*7680x4320 at 30 fps .* served at \d+x\d+ \(\/videos\/eight-k\.mp4\)$/,
      ),
    ]);
  });

  it('refuses a file probed at start-up as a liveStream() error naming it', () => {
    const { resolved } = optionsWithWarnings({ overPixelRate: 'refuse' });
    expect(() => new FormatProbe(TOOLS, FILE!, resolved, EIGHT_K, () => {})).toThrow(PixelRateRefused);
    expect(() => new FormatProbe(TOOLS, FILE!, resolved, EIGHT_K, () => {})).toThrow(
      /^liveStream: videos\[0\] .*over maxPixelRate \(124 416 000\), and overPixelRate is "refuse" \(\/videos\/eight-k\.mp4\)$/,
    );
  });

  it('rejects a background probe with a reason that does not repeat the input (viewers read it)', async () => {
    const { resolved } = optionsWithWarnings({ overPixelRate: 'refuse' });
    const probe = new FormatProbe(TOOLS, CAMERA!, resolved, null, () => {}, answering(EIGHT_K));
    const failure = await probe.ensure().catch((error: Error) => error);
    expect(failure).toBeInstanceOf(PixelRateRefused);
    expect((failure as Error).message).not.toContain('secret');
    expect(probe.format).toBeNull();
  });
});

describe('FormatProbe for a file cut short', () => {
  it('loops at the end of its data and warns naming the file', () => {
    const { resolved, warnings } = optionsWithWarnings();
    const cut: ProbeResult = {
      ...EIGHT_K,
      width: 320,
      height: 240,
      durationSec: 14.5,
      statedDurationSec: 30,
    };
    const probe = new FormatProbe(TOOLS, FILE!, resolved, cut, () => {});
    expect(probe.format?.durationSec).toBe(14.5);
    expect(warnings).toEqual([
      expect.stringContaining('its data ends at 14.5 s, before the 30 s its header states'),
    ]);
    expect(warnings[0]).toContain('/videos/eight-k.mp4');
  });
});
