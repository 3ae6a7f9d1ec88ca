import { describe, expect, it } from 'vitest';
import type { LinkReport, LinkSecond } from '../infra/linkem';
import {
  audioGaps,
  framesPerSecond,
  frozenMs,
  linkKbps,
  medianAndP10,
  parseHlsLevel,
  parseMs,
  type RungPoint,
  rungAt,
  rungChanges,
  stallTransitions,
  switchCount,
  timeOnRungs,
  timeToRung,
  timeToStepDown,
} from './playback-figures';

/** Frame events every `everyMs` in [fromMs, toMs), each half an interval after its slot's start. */
function steadyFrames(fromMs: number, toMs: number, everyMs: number) {
  const events = [];
  for (let i = 0; fromMs + (i + 0.5) * everyMs < toMs; i++)
    events.push({ t: fromMs + (i + 0.5) * everyMs, frames: 1 });
  return events;
}

describe('framesPerSecond', () => {
  it('counts frames in whole seconds from the start, leaving out a last partial second', () => {
    const events = steadyFrames(1000, 4500, 1000 / 30);
    expect(framesPerSecond(events, 1000, 4500)).toEqual([30, 30, 30]);
  });

  it('weighs a video callback that stands for several presented frames', () => {
    const events = [
      { t: 100, frames: 1 },
      { t: 600, frames: 3 },
      { t: 1200, frames: 2 },
    ];
    expect(framesPerSecond(events, 0, 2000)).toEqual([4, 2]);
  });

  it('is empty for a window shorter than a second', () => {
    expect(framesPerSecond([{ t: 10, frames: 1 }], 0, 900)).toEqual([]);
  });
});

describe('frozenMs', () => {
  it('is zero for a steady 30 fps picture', () => {
    expect(
      frozenMs(
        steadyFrames(0, 10_000, 1000 / 30).map((e) => e.t),
        0,
        10_000,
      ),
    ).toBe(0);
  });

  it('counts each gap over 200 ms whole, and none at or under it', () => {
    const times = [0, 200, 700, 800, 1100];
    // 0→200: 200 (not over); 200→700: 500; 700→800: 100; 800→1100: 300; 1100→1200 (end): 100.
    expect(frozenMs(times, 0, 1200)).toBe(800);
  });

  it('counts a freeze that lasts to the end of the window', () => {
    expect(frozenMs([0, 33, 66], 0, 5066)).toBe(5000);
  });

  it('counts the wait for the first picture in the window', () => {
    expect(frozenMs([400, 433], 0, 466)).toBe(400);
  });

  it('is the whole window without any picture', () => {
    expect(frozenMs([], 1000, 3000)).toBe(2000);
  });
});

describe('audioGaps', () => {
  it('leaves out the priming before the first sound', () => {
    const gaps = audioGaps([{ t: 900, playing: true }], 10_000);
    expect(gaps).toEqual({ count: 0, totalMs: 0, gaps: [], startedAt: 900 });
  });

  it('adds up each stop → start after the first sound', () => {
    const gaps = audioGaps(
      [
        { t: 500, playing: true },
        { t: 2000, playing: false },
        { t: 2150, playing: true },
        { t: 4000, playing: false },
        { t: 4400, playing: true },
      ],
      10_000,
    );
    expect(gaps).toEqual({
      count: 2,
      totalMs: 550,
      gaps: [
        { t: 2000, ms: 150 },
        { t: 4000, ms: 400 },
      ],
      startedAt: 500,
    });
  });

  it('counts a silence still open at the end up to the end', () => {
    const gaps = audioGaps(
      [
        { t: 500, playing: true },
        { t: 9000, playing: false },
      ],
      10_000,
    );
    expect(gaps).toEqual({ count: 1, totalMs: 1000, gaps: [{ t: 9000, ms: 1000 }], startedAt: 500 });
  });

  it('has no start and no gaps when audio never played', () => {
    expect(audioGaps([], 10_000)).toEqual({ count: 0, totalMs: 0, gaps: [], startedAt: null });
  });
});

describe('stallTransitions', () => {
  it('turns waiting/playing after the first frame into stops and starts, ignoring those before it', () => {
    const events = [
      { t: 100, type: 'waiting' },
      { t: 300, type: 'playing' },
      { t: 5000, type: 'waiting' },
      { t: 5600, type: 'playing' },
    ];
    const transitions = stallTransitions(events, 400);
    expect(transitions).toEqual([
      { t: 400, playing: true },
      { t: 5000, playing: false },
      { t: 5600, playing: true },
    ]);
    expect(audioGaps(transitions, 8000).totalMs).toBe(600);
  });
});

const timeline: RungPoint[] = [
  { t: 1000, rung: 2, label: 'q70', reason: 'initial' },
  { t: 1900, rung: 1, label: 'q55', reason: 'buffer-low' },
  { t: 2000, rung: 1, label: 'q55' },
  { t: 8000, rung: 2, label: 'q70', reason: 'buffer-high' },
  { t: 21_500, rung: 0, label: 'q40', reason: 'buffer-low' },
  { t: 45_000, rung: 3, label: 'q85', reason: 'buffer-high' },
];

describe('rung timeline', () => {
  it('keeps changes only and counts switches after the first rung', () => {
    expect(rungChanges(timeline).map((point) => point.rung)).toEqual([2, 1, 2, 0, 3]);
    expect(switchCount(timeline)).toBe(4);
    expect(switchCount(timeline, 5000)).toBe(3);
  });

  it('counts a frame-rate step below rung 0 as a change of its own', () => {
    const decimated: RungPoint[] = [
      { t: 0, rung: 0, label: '144p' },
      { t: 1000, rung: 0, label: '144p @ 15 fps' },
      { t: 1500, rung: 0, label: '144p @ 15 fps' },
      { t: 3000, rung: 0, label: '144p' },
    ];
    expect(rungChanges(decimated).map((point) => point.t)).toEqual([0, 1000, 3000]);
    expect(switchCount(decimated)).toBe(2);
  });

  it('finds the rung in force at a time', () => {
    expect(rungAt(timeline, 500)).toBeNull();
    expect(rungAt(timeline, 20_000)).toBe(2);
  });

  it('times the step down after a drop, and the return to the top after a recovery', () => {
    expect(timeToStepDown(timeline, 20_000, 40_000)).toBe(1500);
    expect(timeToStepDown(timeline, 22_000, 40_000)).toBeNull();
    expect(timeToRung(timeline, 3, 40_000, 60_000)).toBe(5000);
    expect(timeToRung(timeline, 3, 50_000, 60_000)).toBe(0);
    expect(timeToRung(timeline, 3, 10_000, 40_000)).toBeNull();
  });

  it('shares the window between the rungs it was on', () => {
    const shares = timeOnRungs(timeline, 1000, 61_000);
    expect(shares.get(2)).toBeCloseTo((900 + 13_500) / 60_000);
    expect(shares.get(3)).toBeCloseTo(16_000 / 60_000);
    const total = [...shares.values()].reduce((sum, share) => sum + share, 0);
    expect(total).toBeCloseTo(1);
  });
});

describe('readout parsing', () => {
  it('reads the latency cell', () => {
    expect(parseMs('812 ms')).toBe(812);
    expect(parseMs('–')).toBeNull();
    expect(parseMs(undefined)).toBeNull();
  });

  it('reads the HLS quality cell', () => {
    expect(parseHlsLevel('480p (level 1)')).toEqual({ rung: 1, label: '480p' });
    expect(parseHlsLevel('rung 2 (q70)')).toBeNull();
  });
});

describe('linkKbps', () => {
  const second = (txBytes: number): LinkSecond => ({
    txBytes,
    rxBytes: txBytes,
    dropLoss: 0,
    dropQueue: 0,
    dropRing: 0,
    qwaitAvgMs: 0,
    qwaitMaxMs: 0,
  });
  const report = (t: number, downBytes: number): LinkReport => ({
    t,
    down: second(downBytes),
    up: second(0),
  });

  it('averages the whole seconds inside the window', () => {
    const reports = [
      report(1000, 999_999),
      report(2000, 500_000),
      report(3000, 250_000),
      report(4000, 999_999),
    ];
    // Kept: the seconds ending at 2000 and 3000 (each covers the second before it).
    expect(linkKbps(reports, 1000, 3500)).toBe(3000);
  });

  it('is NaN without a second inside', () => {
    expect(linkKbps([report(1000, 1)], 5000, 6000)).toBeNaN();
  });
});

describe('medianAndP10', () => {
  it('takes nearest-rank percentiles of unsorted values', () => {
    const values = [30, 12, 30, 29, 30, 30, 5, 30, 30, 28];
    expect(medianAndP10(values)).toEqual({ median: 30, p10: 5 });
  });
});
