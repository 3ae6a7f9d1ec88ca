import { describe, expect, it } from 'vitest';
import { deriveStatus, type StatusInputs } from './derive-status';

const live: StatusInputs = {
  started: true,
  gaveUp: false,
  connected: true,
  reconnectAttempts: 0,
  streamFailed: false,
  hasVideo: true,
  streamActive: true,
  playout: 'playing',
};

describe('deriveStatus', () => {
  it('walks a viewer from connecting to live', () => {
    expect(deriveStatus({ ...live, started: false })).toBe('idle');
    expect(deriveStatus({ ...live, connected: false })).toBe('connecting');
    expect(deriveStatus({ ...live, streamActive: false })).toBe('connecting');
    expect(deriveStatus({ ...live, playout: 'waiting' })).toBe('connecting');
    expect(deriveStatus(live)).toBe('live');
    expect(deriveStatus({ ...live, playout: 'starved' })).toBe('buffering');
  });

  it('says reconnecting only after a connection was lost, and error once the client gave up', () => {
    expect(deriveStatus({ ...live, connected: false, reconnectAttempts: 2 })).toBe('reconnecting');
    expect(deriveStatus({ ...live, connected: false, reconnectAttempts: 2, gaveUp: true })).toBe('error');
    expect(deriveStatus({ ...live, streamFailed: true })).toBe('error');
  });

  it('is idle while connected with no video chosen', () => {
    expect(deriveStatus({ ...live, hasVideo: false, streamActive: false })).toBe('idle');
  });
});
