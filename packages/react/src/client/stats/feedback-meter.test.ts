import { decodeClientMessage, encodeMessage } from '@onair/protocol';
import { describe, expect, it } from 'vitest';
import { FeedbackMeter } from './feedback-meter';
import { estimateNetworkQuality } from './network-quality';

describe('FeedbackMeter', () => {
  it('reports the interval just ended, then starts a new one', () => {
    const meter = new FeedbackMeter();
    for (const [start, end] of [
      [0, 4],
      [10, 16],
      [20, 28],
    ] as const) {
      meter.decodeStarted(start);
      meter.decodeEnded(end);
    }
    meter.recordDropped(2);
    meter.recordRenderDropped(1);
    meter.recordLate(1);
    for (const gap of [17, 320, 33]) meter.recordStall(gap);
    const first = meter.report({ timestamp: 1_000, bufferMs: 75, targetMs: 150 });
    expect(first).toEqual({
      type: 'feedback',
      bufferLevel: 0.5,
      bufferMs: 75,
      networkQuality: 'fair',
      timestamp: 1_000,
      droppedFrames: 2,
      lateFrames: 1,
      decodeMs: 6,
      renderDroppedFrames: 1,
      pageStallMs: 320,
    });
    const second = meter.report({ timestamp: 1_500, bufferMs: 150, targetMs: 150 });
    expect(second).toMatchObject({
      bufferLevel: 1,
      droppedFrames: 0,
      lateFrames: 0,
      decodeMs: 0,
      renderDroppedFrames: 0,
      pageStallMs: 0,
    });
    expect(meter.total).toEqual({ droppedFrames: 2, lateFrames: 1, renderDroppedFrames: 1 });
    expect(meter.meanDecodeMs).toBe(6);
  });

  it('counts the time spent decoding once, however many decodes overlap', () => {
    // Three frames of a burst decode one after another: each waits for the ones before it. Their mean wall time
    // (20 ms) is not what each costs (10 ms).
    const meter = new FeedbackMeter();
    for (let i = 0; i < 3; i++) meter.decodeStarted(100);
    for (const end of [110, 120, 130]) meter.decodeEnded(end);
    expect(meter.report({ timestamp: 500, bufferMs: 150, targetMs: 150 }).decodeMs).toBe(10);
  });

  it('gives a decode still under way at a report its time so far, and the rest to the next report', () => {
    const meter = new FeedbackMeter();
    meter.decodeStarted(0);
    meter.decodeEnded(10);
    meter.decodeStarted(480);
    expect(meter.report({ timestamp: 500, bufferMs: 150, targetMs: 150 }).decodeMs).toBe(30);
    meter.decodeEnded(540);
    expect(meter.report({ timestamp: 1_000, bufferMs: 150, targetMs: 150 }).decodeMs).toBe(40);
  });

  it('follows a scripted run from healthy to starving', () => {
    const meter = new FeedbackMeter();
    const script = [
      { bufferMs: 160, dropped: 0, late: 0 },
      { bufferMs: 150, dropped: 0, late: 0 },
      { bufferMs: 90, dropped: 0, late: 0 },
      { bufferMs: 40, dropped: 1, late: 2 },
      { bufferMs: 5, dropped: 6, late: 0 },
    ];
    const reports = script.map((step, i) => {
      meter.recordDropped(step.dropped);
      meter.recordLate(step.late);
      return meter.report({ timestamp: i * 500, bufferMs: step.bufferMs, targetMs: 150 });
    });
    expect(reports.map((r) => r.networkQuality)).toEqual(['good', 'good', 'fair', 'fair', 'poor']);
    expect(reports.map((r) => Math.round(r.bufferLevel * 100) / 100)).toEqual([1.07, 1, 0.6, 0.27, 0.03]);
    expect(reports.map((r) => r.droppedFrames)).toEqual([0, 0, 0, 1, 6]);
  });

  it('reports as a stall the longest time decodes were under way with none ending, not a burst queueing', () => {
    const meter = new FeedbackMeter();
    // Five frames at once end one after another, 8 ms apart: the decoder ran all along.
    for (let i = 0; i < 5; i++) meter.decodeStarted(i);
    for (const end of [8, 16, 24, 32, 40]) meter.decodeEnded(end);
    expect(meter.report({ timestamp: 500, bufferMs: 150, targetMs: 150 }).pageStallMs).toBe(8);
    // Two under way and nothing ending for 400 ms: the decode thread was held.
    meter.decodeStarted(1_000);
    meter.decodeStarted(1_030);
    meter.decodeEnded(1_400);
    meter.decodeEnded(1_405);
    expect(meter.report({ timestamp: 1_500, bufferMs: 150, targetMs: 150 }).pageStallMs).toBe(400);
    expect(meter.report({ timestamp: 2_000, bufferMs: 150, targetMs: 150 }).pageStallMs).toBe(0);
    // A wait still going on at a report is in that report.
    meter.decodeStarted(2_100);
    expect(meter.report({ timestamp: 2_500, bufferMs: 150, targetMs: 150 }).pageStallMs).toBe(400);
  });

  it('always produces a message the protocol accepts, even from absurd inputs', () => {
    const meter = new FeedbackMeter();
    meter.recordDropped(5_000_000);
    meter.decodeStarted(0);
    meter.decodeEnded(Number.POSITIVE_INFINITY);
    meter.recordStall(Number.POSITIVE_INFINITY);
    const report = meter.report({ timestamp: -5, bufferMs: 99_999_999, targetMs: 0 });
    expect(decodeClientMessage(encodeMessage(report)).ok).toBe(true);
  });
});

describe('estimateNetworkQuality', () => {
  it('is unknown without reports', () => {
    expect(estimateNetworkQuality([])).toBe('unknown');
  });

  it('calls a buffer that keeps falling fair before it is low', () => {
    const steady = { droppedFrames: 0, lateFrames: 0 };
    const falling = [0.95, 0.8, 0.6].map((bufferLevel) => ({ bufferLevel, ...steady }));
    expect(estimateNetworkQuality(falling)).toBe('fair');
    const flat = [0.6, 0.6, 0.6].map((bufferLevel) => ({ bufferLevel, ...steady }));
    expect(estimateNetworkQuality(flat)).toBe('good');
  });
});
