import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readPackageFile } from '../../test-support/package-file';
import type { SessionListener } from '../session/session-listeners';
import { EMPTY_STATS, initialSnapshot, type LiveStreamSnapshot } from '../state/snapshot';
import { SnapshotStore } from '../state/snapshot-store';
import type { TransportMode } from '../state/transport-mode';
import type { Playback, PlaybackState } from './playback';
import { PlaybackSwitch } from './playback-switch';

/** A playback that records what it is told and says what the test makes it say. */
class FakePlayback implements Playback {
  readonly calls: string[] = [];
  playable = true;
  private readonly output = new SnapshotStore<PlaybackState>({
    status: 'idle',
    stats: EMPTY_STATS,
    error: null,
    audioBlocked: false,
  });

  constructor(readonly name: string) {}

  readonly subscribe = (listener: () => void) => this.output.subscribe(listener);
  readonly getState = () => this.output.get();
  say(state: Partial<PlaybackState>): void {
    this.output.update(state);
  }

  start(): void {
    this.calls.push('start');
  }
  stop(): void {
    this.calls.push('stop');
  }
  sync(): void {
    this.calls.push('sync');
  }
  async canPlay(): Promise<boolean> {
    return this.playable;
  }
  setPaused(paused: boolean): void {
    this.calls.push(paused ? 'pause' : 'play');
  }
  setVolume(volume: number, muted: boolean): void {
    this.calls.push(`volume ${volume}${muted ? ' muted' : ''}`);
  }
  async enableAudio(): Promise<void> {}
  setQuality(): void {}
  jumpToLive(): void {}
  attach(): void {}
}

function setup(mode: TransportMode, snapshot: Partial<LiveStreamSnapshot> = {}) {
  const store = new SnapshotStore({ ...initialSnapshot('ws', mode), ...snapshot });
  const listeners: SessionListener[] = [];
  const session = {
    start: vi.fn(),
    stop: vi.fn(),
    fail: vi.fn(),
    listen: (listener: SessionListener) => {
      listeners.push(listener);
      return () => {};
    },
  };
  const websocket = new FakePlayback('ws');
  const hls = new FakePlayback('hls');
  const playbacks = new PlaybackSwitch(
    {
      store,
      session,
      plan: {
        ws: { playback: websocket },
        hls: { playback: hls },
        auto: { playback: websocket, fallback: hls },
      },
      resting: websocket,
      url: '/live',
      autoFallback: { attempts: 2, timeoutMs: 5_000 },
    },
    mode,
  );
  const connection = (outcome: 'welcomed' | 'failed') => {
    for (const listener of listeners) listener.connectionSettled?.(outcome);
  };
  return { store, session, websocket, hls, playbacks, connection };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('PlaybackSwitch', () => {
  it('is the one writer of status, stats, error and audioBlocked: it copies the active playback, no other', () => {
    const { store, websocket, hls, playbacks } = setup('ws');
    playbacks.start('ws://host/live/ws');
    websocket.say({ status: 'live', audioBlocked: true, stats: { ...EMPTY_STATS, fps: 25 } });
    hls.say({ status: 'error', error: { code: 'ONAIR_HLS_FAILED', message: 'not me', fatal: true } });
    expect(store.get()).toMatchObject({ status: 'live', audioBlocked: true, error: null, transport: 'ws' });
    expect(store.get().stats.fps).toBe(25);
    expect(playbacks.active).toBe(websocket);
  });

  it('keeps the stats object while the numbers are the same', () => {
    const { store, websocket, playbacks } = setup('ws');
    playbacks.start('ws://host/live/ws');
    websocket.say({ stats: { ...EMPTY_STATS, fps: 25 } });
    const stats = store.get().stats;
    websocket.say({ stats: { ...EMPTY_STATS, fps: 25 }, status: 'buffering' });
    expect(store.get().stats).toBe(stats);
  });

  it('plays HLS in hls mode with the socket beside it, and hears only HLS', () => {
    const { store, session, websocket, hls, playbacks } = setup('hls');
    playbacks.start('ws://host/live/ws');
    expect(hls.calls.at(-1)).toBe('start');
    expect(websocket.calls).toEqual(['stop']);
    expect(session.start).toHaveBeenCalledWith('ws://host/live/ws');
    expect(store.get().transport).toBe('hls');
    websocket.say({ status: 'reconnecting' });
    hls.say({ status: 'live' });
    expect(store.get().status).toBe('live');
  });

  it('gives the playback it starts the viewer\u2019s controls before starting it', () => {
    const { hls, playbacks } = setup('hls', { playing: false, volume: 0.5, muted: true });
    playbacks.start('ws://host/live/ws');
    expect(hls.calls).toEqual(['pause', 'volume 0.5 muted', 'start']);
  });

  it('says why without a socket URL (the socket\u2019s fatal error), and plays what needs no socket', () => {
    const ws = setup('ws');
    ws.playbacks.start(null);
    expect(ws.session.fail).toHaveBeenCalledWith(
      'ONAIR_CONNECTION_FAILED',
      'cannot resolve "/live" without a page URL',
      true,
    );
    expect(ws.session.start).not.toHaveBeenCalled();
    const hls = setup('hls');
    hls.playbacks.start(null);
    expect(hls.hls.calls.at(-1)).toBe('start');
    expect(hls.store.get().error).toBeNull();
    expect(hls.session.start).not.toHaveBeenCalled();
  });

  it('in auto, falls back to HLS after the failed first connections, and stays there', async () => {
    const { store, websocket, hls, playbacks, connection } = setup('auto');
    playbacks.start('ws://host/live/ws');
    connection('failed');
    await vi.advanceTimersByTimeAsync(0);
    expect(playbacks.active).toBe(websocket);
    connection('failed');
    await vi.advanceTimersByTimeAsync(0);
    expect(playbacks.active).toBe(hls);
    expect(websocket.calls.at(-1)).toBe('stop');
    expect(store.get().transport).toBe('hls');
    connection('welcomed');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(playbacks.active).toBe(hls);
  });

  it('in auto, stays on the WebSocket once welcomed, and when the video offers no HLS', async () => {
    const welcomed = setup('auto');
    welcomed.playbacks.start('ws://host/live/ws');
    welcomed.connection('welcomed');
    welcomed.connection('failed');
    welcomed.connection('failed');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(welcomed.playbacks.active).toBe(welcomed.websocket);

    const noHls = setup('auto');
    noHls.hls.playable = false;
    noHls.playbacks.start('ws://host/live/ws');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(noHls.playbacks.active).toBe(noHls.websocket);
    expect(noHls.hls.calls).not.toContain('start');
  });

  it('stops the socket, then the playback; the next start plays the mode set meanwhile', () => {
    const { session, websocket, hls, playbacks } = setup('ws');
    playbacks.start('ws://host/live/ws');
    playbacks.setMode('hls');
    expect(playbacks.active).toBe(websocket);
    playbacks.stop();
    expect(session.stop).toHaveBeenCalledTimes(1);
    expect(websocket.calls.at(-1)).toBe('stop');
    expect(playbacks.isStarted).toBe(false);
    playbacks.start('ws://host/live/ws');
    expect(playbacks.active).toBe(hls);
    expect(hls.calls.at(-1)).toBe('start');
  });

  it('is the only code in the client that writes status, stats, error or audioBlocked into the store', () => {
    const clientFolder = path.join(import.meta.dirname, '..');
    const sources = (readdirSync(clientFolder, { recursive: true }) as string[]).filter(
      (file) => file.endsWith('.ts') && !file.endsWith('.test.ts'),
    );
    // Files that hold the player's store (the room's store is another, with an `error` of its own).
    const writers = sources.filter((file) => {
      const code = readPackageFile(path.join('src/client', file));
      if (!code.includes('SnapshotStore<LiveStreamSnapshot>')) return false;
      const patches = [...code.matchAll(/store\.update\(\{([^}]*)\}/g)].map((match) => match[1] ?? '');
      return patches.some((patch) => /\b(status|stats|error|audioBlocked)\b(\s*[:,]|$)/.test(patch.trim()));
    });
    expect(writers).toEqual([path.join('playback', 'playback-switch.ts')]);
  });
});
