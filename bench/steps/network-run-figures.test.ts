import { describe, expect, it } from 'vitest';
import type { PageProbe, ProbeMedia } from '../clients/page-probe';
import { emptyProbe } from '../clients/page-probe.fixture';
import { NETWORK_PROFILES, profileSchedule } from './network-profiles';
import { runFigures } from './network-run-figures';

const E = NETWORK_PROFILES.find((profile) => profile.id === 'E')!;
const TIME_ORIGIN = 1_700_000_000_000;

/** A WebSocket run of profile E over 60 s: 30 fps but for a 1 s freeze at 25 s, rungs following the link. */
function webSocketProbe(): PageProbe {
  const probe = emptyProbe(TIME_ORIGIN);
  probe.firstFrame = 2000;
  for (let t = 2000; t < 62_000; t += 1000 / 30)
    if (t < 25_000 || t > 26_000) probe.frames.push({ t, frames: 1 });
  probe.control.push({ t: 1500, type: 'welcome', ladder: [40, 55, 70, 85, 95] });
  probe.control.push({ t: 1600, type: 'stream', fps: 30, audio: { codec: 'opus', sampleRate: 48_000 } });
  const rung = (t: number, rungIndex: number, reason: string) =>
    probe.control.push({ t, type: 'quality-changed', rung: rungIndex, quality: 40 + rungIndex * 15, reason });
  rung(1900, 2, 'initial');
  rung(6000, 4, 'buffer-high');
  rung(21_500, 1, 'buffer-low');
  rung(50_000, 4, 'buffer-high');
  for (let t = 2000; t < 62_000; t += 250) {
    probe.samples.push({
      t,
      state: t < 30_000 ? 'live' : 'buffering',
      stats: { latency: `${t < 40_000 ? 200 : 400} ms` },
    });
  }
  probe.audioWorklet = true;
  probe.audio.push({ t: 2100, contextTime: 1, playing: true });
  // A gap in the first second of sound, which the targets allow, and one after it.
  probe.audio.push({ t: 2600, contextTime: 1.5, playing: false });
  probe.audio.push({ t: 2700, contextTime: 1.5, playing: true });
  probe.audio.push({ t: 25_100, contextTime: 24, playing: false });
  probe.audio.push({ t: 25_400, contextTime: 24.3, playing: true });
  const frame = (t: number, sequence: number): ProbeMedia => ({
    t,
    kind: 'video',
    timestamp: TIME_ORIGIN + t - 50,
    sequence,
    rung: 2,
    bytes: 10_000,
  });
  probe.media.push(frame(3000, 1), frame(3033, 2), frame(3040, 2), frame(3066, 3));
  return probe;
}

describe('runFigures', () => {
  const runMs = 60_000;
  const schedule = profileSchedule(E, runMs);

  it('turns a WebSocket run into the issue’s figures', () => {
    const result = runFigures({
      profile: E,
      transport: 'ws',
      runMs,
      probe: webSocketProbe(),
      endMs: 62_000,
      schedule,
      link: [],
      machineLoad: 1,
    });
    expect(result.timeToFirstFrameMs).toBe(2000);
    expect(result.fpsMedian).toBe(30);
    // One frozen second in sixty stays under the 10th percentile.
    expect(result.fpsP10).toBe(30);
    expect(result.frozenPercent).toBeCloseTo((1000 / 60_000) * 100, 0);
    expect(result.audioGaps).toEqual({
      count: 2,
      totalMs: 400,
      gaps: [
        { t: 2600, ms: 100 },
        { t: 25_100, ms: 300 },
      ],
      afterFirstSecond: 1,
      source: 'worklet',
    });
    expect(result.firstSoundMs).toBe(2100);
    expect(result.latencyP50Ms).toBe(200);
    expect(result.latencyP95Ms).toBe(400);
    expect(result.switches).toBe(3);
    expect(result.topRung).toBe(4);
    expect(result.livePercent).toBeCloseTo(((30_000 - 2000) / 60_000) * 100, 0);
    expect(result.duplicateFrames).toBe(1);
    expect(result.frameArrivalP50Ms).toBe(50);
    expect(result.audioCodec).toBe('opus');
    expect(result.responses).toEqual([
      { atMs: 20_000, downKbps: 3000, kind: 'step-down', fromRung: 4, afterMs: 1500 },
      { atMs: 40_000, downKbps: 20_000, kind: 'back-to-top', fromRung: 1, afterMs: 10_000 },
    ]);
  });

  it('reads HLS levels from the readout and counts video stalls as the audio gaps', () => {
    const probe = emptyProbe(TIME_ORIGIN);
    probe.firstFrame = 3000;
    for (let t = 3000; t < 62_000; t += 1000 / 30) probe.frames.push({ t, frames: 1 });
    probe.qualityOptions = ['360p', '480p'];
    for (let t = 3000; t < 62_000; t += 250) {
      probe.samples.push({
        t,
        state: 'live',
        stats: { quality: t < 30_000 ? '480p (level 1)' : '360p (level 0)', latency: '2000 ms' },
      });
    }
    probe.mediaEvents.push({ t: 10_000, type: 'waiting' }, { t: 10_400, type: 'playing' });
    probe.playlists.push({ t: 4000, behindMs: 900 }, { t: 5000, behindMs: 300 }, { t: 6000, behindMs: 2500 });
    const result = runFigures({
      profile: E,
      transport: 'hls',
      runMs,
      probe,
      endMs: 62_000,
      schedule,
      link: [],
      machineLoad: 1,
    });
    expect(result.audioGaps).toEqual({
      count: 1,
      totalMs: 400,
      gaps: [{ t: 10_000, ms: 400 }],
      afterFirstSecond: 1,
      source: 'video-stalls',
    });
    expect(result.topRung).toBe(1);
    expect(result.switches).toBe(1);
    expect(result.mediaKbps).toBeNull();
    expect([result.newestSegmentBehindP50Ms, result.newestSegmentBehindMaxMs]).toEqual([900, 2500]);
    expect(result.responses.map((response) => response.afterMs)).toEqual([10_000, null]);
  });

  it('says so when no picture ever came: frozen throughout, no fps', () => {
    const result = runFigures({
      profile: E,
      transport: 'ws',
      runMs,
      probe: emptyProbe(TIME_ORIGIN),
      endMs: 60_000,
      schedule,
      link: [],
      machineLoad: 1,
    });
    expect(result.timeToFirstFrameMs).toBeNaN();
    expect(result.frozenPercent).toBe(100);
    expect(result.fpsMedian).toBeNaN();
    expect(result.audioGaps).toBeNull();
  });
});
