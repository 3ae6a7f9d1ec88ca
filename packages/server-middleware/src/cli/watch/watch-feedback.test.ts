import { decodeClientMessage, encodeMessage, type FeedbackMessage } from '@onair/protocol';
import { describe, expect, it } from 'vitest';
import { WatchFeedback } from './watch-feedback';

/** What the server's decoder makes of the message: the check that matters. */
const acceptedByServer = (message: FeedbackMessage) => decodeClientMessage(encodeMessage(message)).ok;

describe('WatchFeedback', () => {
  it('reports the skipped and late frames of its interval, then starts over', () => {
    const report = new WatchFeedback();
    report.count({ skipped: 2, late: false });
    report.count({ skipped: 0, late: true });
    const first = report.take({ bufferMs: 120.4, level: 0.8 }, 1234.5);
    expect(first).toMatchObject({ droppedFrames: 2, lateFrames: 1, bufferMs: 120, bufferLevel: 0.8 });
    expect(first.networkQuality).toBe('fair');
    expect(acceptedByServer(first)).toBe(true);
    const second = report.take({ bufferMs: 150, level: 1 }, 1734.5);
    expect(second).toMatchObject({ droppedFrames: 0, lateFrames: 0, networkQuality: 'good' });
  });

  it('calls an empty buffer poor, and keeps every field inside the protocol bounds', () => {
    const report = new WatchFeedback();
    const message = report.take({ bufferMs: 10_000_000, level: 500 }, 0);
    expect(acceptedByServer(message)).toBe(true);
    expect(report.take({ bufferMs: 0, level: 0 }, 1).networkQuality).toBe('poor');
  });
});
