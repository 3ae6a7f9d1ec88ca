import { describe, expect, it } from 'vitest';
import { announcement, statusText } from './status-text';

describe('statusText', () => {
  it('says a selected stream that is off air ended or is scheduled, not an error', () => {
    const idle = { status: 'idle', error: null, videoId: 'show', playing: false } as const;
    expect(statusText(idle)).toBeNull();
    expect(statusText({ ...idle, offAir: 'ended' })).toBe('This stream has ended');
    expect(statusText({ ...idle, offAir: 'removed' })).toBe('This stream has ended');
    expect(statusText({ ...idle, offAir: 'scheduled' })).toBe('Scheduled: this stream has not started yet');
    expect(announcement({ ...idle, offAir: 'ended' })).toBe('This stream has ended');
  });
});
