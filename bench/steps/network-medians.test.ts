import { describe, expect, it } from 'vitest';
import { networkMedians } from './network-medians';
import type { LinkResponse, NetworkRunResult } from './network-run-figures';

function run(
  profile: NetworkRunResult['profile'],
  gaps: number,
  fps: number,
  responses: LinkResponse[] = [],
): NetworkRunResult {
  return {
    profile,
    label: profile,
    transport: 'ws',
    runSeconds: 60,
    timeToFirstFrameMs: 1_500,
    fpsMedian: fps,
    fpsP10: fps,
    frozenPercent: gaps,
    audioGaps: { count: gaps, totalMs: gaps * 100, gaps: [], afterFirstSecond: gaps, source: 'worklet' },
    firstSoundMs: 2_000,
    latencySamples: 200,
    latencyP50Ms: 400 + gaps,
    latencyP95Ms: 500 + gaps,
    switches: 3,
    switchesAfter5s: gaps,
    topRung: 5,
    topRungPercent: 50,
    rungTimeline: [],
    responses,
    linkKbps: 1_000,
    linkDrops: { loss: 0, queue: 0 },
    mediaKbps: 900,
    frameArrivalP50Ms: 50,
    frameArrivalP95Ms: 80,
    audioCodec: 'opus',
    duplicateFrames: 0,
    newestSegmentBehindP50Ms: null,
    newestSegmentBehindMaxMs: null,
    livePercent: 100,
    canvasDraws: 1_800,
    pictureChanges: 1_800,
    machineLoad: 1,
  };
}

const backToTop = (afterMs: number | null): LinkResponse => ({
  atMs: 40_000,
  downKbps: 20_000,
  kind: 'back-to-top',
  fromRung: 0,
  afterMs,
});

describe('networkMedians', () => {
  it("gives each profile and transport the median of its runs, so one run's luck does not decide", () => {
    const medians = networkMedians([run('D', 4, 15), run('C', 2, 30), run('D', 1, 10), run('D', 2, 15)]);
    expect(medians.map((row) => [row.profile, row.runs])).toEqual([
      ['D', 3],
      ['C', 1],
    ]);
    expect(medians[0]).toMatchObject({ audioGapCount: 2, audioGapMs: 200, fpsMedian: 15, latencyP95Ms: 502 });
  });

  it('counts a run that never got back to the top as slower than any that did', () => {
    const [twoOfThree] = networkMedians([
      run('E', 1, 30, [backToTop(12_000)]),
      run('E', 1, 30, [backToTop(null)]),
      run('E', 1, 30, [backToTop(15_000)]),
    ]);
    expect(twoOfThree).toMatchObject({ backToTopMs: 15_000, neverBackToTop: 1 });
    const [oneOfThree] = networkMedians([
      run('E', 1, 30, [backToTop(12_000)]),
      run('E', 1, 30, [backToTop(null)]),
      run('E', 1, 30, [backToTop(null)]),
    ]);
    expect(oneOfThree).toMatchObject({ backToTopMs: null, neverBackToTop: 2 });
  });
});
