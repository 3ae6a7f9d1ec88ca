import { describe, expect, it } from 'vitest';
import { isSuspectTruncated, realDataDuration, startTimeOf } from './data-end';

const probeJson = (size: number, rates: (number | undefined)[], duration = 30) =>
  JSON.stringify({
    streams: rates.map((rate) => (rate === undefined ? {} : { bit_rate: String(rate) })),
    format: { size: String(size), duration: String(duration), start_time: '0.000000' },
  });

describe('isSuspectTruncated', () => {
  it('suspects a file smaller than its streams declare (an MP4 cut in half)', () => {
    // 116 549 bit/s over 30 s declare ~437 KB; the file has 225 KB.
    expect(isSuspectTruncated(probeJson(225_059, [83_879, 32_670]))).toBe(true);
  });

  it('trusts a whole file, container overhead included', () => {
    expect(isSuspectTruncated(probeJson(450_118, [83_879, 32_670]))).toBe(false);
  });

  it('cannot tell, so trusts, a container that declares no stream bit rate', () => {
    expect(isSuspectTruncated(probeJson(1_000, [undefined, 32_670]))).toBe(false);
    expect(isSuspectTruncated('not json')).toBe(false);
  });
});

describe('startTimeOf', () => {
  it('reads the start time, 0 when absent', () => {
    expect(startTimeOf(JSON.stringify({ format: { start_time: '1.400000' } }))).toBe(1.4);
    expect(startTimeOf('{}')).toBe(0);
  });
});

/**
 * A fake ffprobe over a file with a keyframe every `gop` seconds, 10 fps video, whose data ends at `dataEnd`:
 * a seek lands on the keyframe at or before its target, and reads nothing when that keyframe is gone, nor for
 * an interval without an end.
 */
function fakeFile(dataEnd: number, gop = 1, startSec = 0) {
  const calls: string[] = [];
  const read = (interval: string) => {
    calls.push(interval);
    const [start, count] = interval.split('%');
    // The bundled 2018 ffprobe prints no packet for an open-ended interval ("4.5%").
    if (count === '') return '';
    const keyframe = Math.floor((Number(start) - startSec) / gop) * gop;
    const packets: string[] = [];
    for (let pts = keyframe; pts + 0.1 <= dataEnd + 1e-9; pts = Math.round((pts + 0.1) * 10) / 10) {
      packets.push(`${(pts + startSec).toFixed(6)},0.100000`);
      if (count === '+#1') break;
    }
    return packets.join('\n');
  };
  return { read, calls };
}

describe('realDataDuration', () => {
  it('finds where the data of a file cut short ends', () => {
    expect(realDataDuration(30, 0, fakeFile(14.5).read)).toBeCloseTo(14.5, 3);
  });

  it('finds it with sparse keyframes and timestamps that do not start at 0', () => {
    expect(realDataDuration(30, 1.4, fakeFile(17.3, 5, 1.4).read)).toBeCloseTo(17.3, 3);
  });

  it('is null for a file that holds its stated duration, after one read', () => {
    const file = fakeFile(30);
    expect(realDataDuration(30, 0, file.read)).toBeNull();
    expect(file.calls).toHaveLength(1);
  });

  it('is null when nothing can be read (it cannot tell, so the stated duration stands)', () => {
    expect(realDataDuration(30, 0, () => null)).toBeNull();
  });

  it('asks a bounded number of reads for a long file', () => {
    const file = fakeFile(3_600, 2);
    expect(realDataDuration(7_200, 0, file.read)).toBeCloseTo(3_600, 3);
    expect(file.calls.length).toBeLessThan(20);
  });
});
