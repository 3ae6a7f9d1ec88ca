import { describe, expect, it } from 'vitest';
import type { FeedbackSample } from '../ladder/rung-controller';
import { planRungs } from '../ladder/rung-plan';
import { ServerLoad } from './server-load';
import { ViewerRung } from './viewer-rung';

/** The default ladder on the 480p demo: 144p, 240p, 360p, 480p, 480p · high, 480p · best. */
const RUNGS = planRungs(
  [
    { height: 144, quality: 40 },
    { height: 240, quality: 50 },
    { height: 360, quality: 50 },
    { height: 480, quality: 50 },
    { height: 480, quality: 70 },
    { height: null, quality: 85 },
  ],
  { width: 854, height: 480, fps: 30 },
);
const RUNG_KBPS = RUNGS.map((rung) => rung.modelKbps);
const START = 3;
const REPORT_MS = 500;

/**
 * A channel's audience on a fake clock: `count` viewers in auto mode on rung `START`, each a `ViewerRung` that
 * moves itself between the channel's rungs, and a server whose event loop becomes saturated or not once every
 * viewer got going (one round of good reports).
 */
function audience(count: number, saturated: boolean) {
  let now = 0;
  const viewersOn = new Map<number, number>([[START, count]]);
  const loop = { saturated: false };
  const load = new ServerLoad(loop, {}, () => now);
  /** Which viewer's move made each rung encoded again, move by move. */
  const openedBy: number[] = [];
  const viewers = Array.from({ length: count }, (_, index) => {
    const viewer: ViewerRung = new ViewerRung({
      initialRung: START,
      configuredRungs: RUNGS.length,
      send: () => {},
      refuse: () => {},
      moved: (rung) => {
        viewersOn.set(viewer.rung, (viewersOn.get(viewer.rung) ?? 0) - 1);
        viewersOn.set(rung, (viewersOn.get(rung) ?? 0) + 1);
        if (viewersOn.get(rung) === 1) openedBy.push(index);
      },
      rateChanged: () => {},
      viewerFps: () => 30,
      encodes: (rung) => (viewersOn.get(rung) ?? 0) > 0,
      load,
      now: () => now,
    });
    viewer.configure(RUNGS);
    return viewer;
  });
  for (const viewer of viewers)
    viewer.feedback(report({ kbps: RUNG_KBPS[START]!, limited: false, burstKbps: null }, 1));
  loop.saturated = saturated;
  return {
    viewers,
    openedBy,
    encoded: () => [...viewersOn].filter(([, viewers]) => viewers > 0).map(([rung]) => rung),
    /** One round of reports, `share(i)` of each viewer's step acknowledged, the sender holding video back. */
    report(share: (index: number) => number, skipped: boolean) {
      now += REPORT_MS;
      viewers.forEach((viewer, index) => {
        const kbps = share(index) * RUNG_KBPS[viewer.rung]!;
        viewer.feedback(report({ kbps, limited: true, burstKbps: null }, 0.2));
        if (skipped) viewer.skipped();
      });
    },
  };
}

function report(link: FeedbackSample['link'], bufferLevel: number): FeedbackSample {
  return {
    bufferLevel,
    droppedFrames: 0,
    renderDroppedFrames: 0,
    lateFrames: 0,
    decodeMs: 2,
    pageStallMs: 0,
    frameIntervalMs: 33,
    rungKbps: RUNG_KBPS,
    link,
  };
}

/** Every viewer gets less through at once, a little noisy: what a busy event loop does to all of them. */
const fallingTogether = (round: number) => (index: number) => 0.7 - round * 0.05 + (index % 5) * 0.02;

describe('ViewerRung and the server load', () => {
  it('on a saturated server, keeps a crowd whose throughput falls together on its rung: no rung opened', () => {
    const channel = audience(20, true);
    for (let round = 0; round < 10; round++) channel.report(fallingTogether(round), true);
    expect(channel.encoded()).toEqual([START]);
    expect(channel.openedBy).toEqual([]);
    expect(channel.viewers.every((viewer) => viewer.switches === 0)).toBe(true);
  });

  it('on a saturated server, still moves down the one viewer whose own link is slow', () => {
    const channel = audience(20, true);
    const slow = (round: number) => (index: number) => (index === 0 ? 0.15 : fallingTogether(round)(index));
    for (let round = 0; round < 10; round++) channel.report(slow(round), true);
    expect(channel.viewers[0]!.rung).toBeLessThan(START);
    expect(channel.openedBy.every((viewer) => viewer === 0)).toBe(true);
    expect(channel.viewers.slice(1).every((viewer) => viewer.switches === 0)).toBe(true);
  });

  it('on an idle server, moves the same crowd down as it always did', () => {
    const channel = audience(20, false);
    for (let round = 0; round < 10; round++) channel.report(fallingTogether(round), true);
    expect(channel.encoded()).not.toContain(START);
    expect(channel.viewers.every((viewer) => viewer.rung < START)).toBe(true);
  });
});
