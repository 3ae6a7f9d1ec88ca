import { describe, expect, it } from 'vitest';
import { liveSocketUrl } from './mount-urls';

describe('liveSocketUrl', () => {
  it.each([
    ['http://127.0.0.1:3000/live', 'ws://127.0.0.1:3000/live/ws'],
    ['http://127.0.0.1:3000/live/', 'ws://127.0.0.1:3000/live/ws'],
    ['https://example.com/a/b?token=x#frag', 'wss://example.com/a/b/ws?token=x'],
    ['http://example.com', 'ws://example.com/ws'],
    ['ws://example.com/live', 'ws://example.com/live/ws'],
  ])('%s → %s', (mount, socket) => {
    expect(liveSocketUrl(new URL(mount))).toBe(socket);
  });
});
