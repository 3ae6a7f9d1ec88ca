import { describe, expect, it } from 'vitest';
import type { PageProbe, ProbeMedia } from '../clients/page-probe';
import { emptyProbe } from '../clients/page-probe.fixture';
import { mediaCaptured, mediaStalls } from './probe-stalls';

const TIME_ORIGIN = 1_700_000_000_000;

function probeWith(media: ProbeMedia[]): PageProbe {
  return { ...emptyProbe(TIME_ORIGIN), media };
}

/** An audio message captured at `captured` (page clock) that reached the page `transitMs` later. */
function audio(captured: number, transitMs: number): ProbeMedia {
  return {
    t: captured + transitMs,
    kind: 'audio',
    timestamp: TIME_ORIGIN + captured,
    sequence: 0,
    rung: 2,
    bytes: 348,
  };
}

describe('mediaStalls', () => {
  it('finds a socket that delivered nothing, then everything at once, and how late it was', () => {
    const media = [audio(0, 20), audio(40, 20), audio(80, 20)];
    // A lost packet: the messages of 120–360 wait for its repair and arrive together at 600.
    for (let captured = 120; captured <= 360; captured += 40) media.push(audio(captured, 600 - captured));
    media.push(audio(400, 220), audio(440, 20));
    const stalls = mediaStalls(probeWith(media), 'audio', 0, 1_000);
    expect(stalls).toEqual([{ kind: 'audio', from: 100, ms: 500, lateMs: 460 }]);
  });

  it('keeps to its window and its kind, and passes over pauses up to the minimum', () => {
    const media = [audio(0, 20), audio(200, 20), audio(400, 20), audio(480, 20)];
    media.push({ t: 50, kind: 'video', timestamp: TIME_ORIGIN, sequence: 1, rung: 0, bytes: 40_000 });
    const probe = probeWith(media);
    expect(mediaStalls(probe, 'audio', 100, 1_000).map((stall) => stall.from)).toEqual([220]);
    expect(mediaStalls(probe, 'audio', 0, 1_000, 200)).toEqual([]);
    expect(mediaStalls(probe, 'video', 0, 1_000)).toEqual([]);
  });
});

describe('mediaCaptured', () => {
  it('counts the messages captured in the window, by their timestamps, not their arrival', () => {
    const frame = (captured: number, transitMs: number, bytes: number): ProbeMedia => ({
      t: captured + transitMs,
      kind: 'video',
      timestamp: TIME_ORIGIN + captured,
      sequence: 0,
      rung: 5,
      bytes,
    });
    const probe = probeWith([
      frame(900, 20, 1),
      frame(1_000, 900, 40_000),
      frame(1_500, 20, 42_000),
      audio(1_200, 20),
    ]);
    expect(mediaCaptured(probe, 'video', 1_000, 2_000)).toEqual({ count: 2, bytes: 82_000 });
  });
});
