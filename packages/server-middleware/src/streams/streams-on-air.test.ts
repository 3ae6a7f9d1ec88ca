import { describe, expect, it, vi } from 'vitest';
import { normalizeVideoInputs } from '../source/video-source';
import type { StreamChannels } from './stream-channels';
import { StreamRegistry } from './stream-registry';
import { keepStreamsOnAir } from './streams-on-air';

/** The channel set as far as `keepStreamsOnAir` uses it, recording what it was asked. */
function fakeChannels() {
  const map = new Map<string, { wake(): void }>();
  const calls: string[] = [];
  const channels = {
    channels: map,
    open: (source: { id: string }, probe: unknown) => {
      calls.push(`open ${source.id}${probe ? ' probed' : ''}`);
      const channel = { wake: () => calls.push(`wake ${source.id}`) };
      map.set(source.id, channel);
      return channel;
    },
    close: async (id: string) => {
      calls.push(`close ${id}`);
      map.delete(id);
    },
  };
  return { channels: channels as unknown as StreamChannels, calls };
}

function setUp() {
  const registry = new StreamRegistry({ error: vi.fn(), warn: vi.fn() });
  const { channels, calls } = fakeChannels();
  const offAir = vi.fn((id: string, status: string) => calls.push(`offAir ${id} ${status}`));
  const catalogChanged = vi.fn();
  const startupProbes = new Map([['clip', { probed: true } as never]]);
  const stop = keepStreamsOnAir({ registry, channels, startupProbes, offAir, catalogChanged });
  return { registry, calls, catalogChanged, stop, startupProbes };
}

const BARS = { input: 'testsrc2', format: 'lavfi' };

describe('keepStreamsOnAir', () => {
  it('opens a channel when a stream with an input goes live, and tells viewers before it closes on end', () => {
    const { registry, calls, catalogChanged } = setUp();
    registry.create({ id: 'bars', title: 'Bars', input: BARS });
    expect(calls).toEqual([]);
    registry.start('bars');
    expect(calls).toEqual(['open bars', 'wake bars']);
    registry.end('bars');
    expect(calls.slice(2)).toEqual(['offAir bars ended', 'close bars']);
    registry.remove('bars');
    expect(calls).toHaveLength(4);
    expect(catalogChanged).toHaveBeenCalledTimes(4);
  });

  it('gives a start-up video its probe, once', () => {
    const { registry, calls, startupProbes } = setUp();
    const [clip] = normalizeVideoInputs([{ id: 'clip', ...BARS }]);
    registry.adoptLive(clip!);
    expect(calls).toEqual(['open clip probed', 'wake clip']);
    expect(startupProbes.size).toBe(0);
  });

  it('tells viewers of a removed stream it was removed', () => {
    const { registry, calls } = setUp();
    registry.create({ id: 'bars', title: 'Bars', input: BARS });
    registry.start('bars');
    registry.remove('bars');
    expect(calls.slice(2)).toEqual(['offAir bars removed', 'close bars']);
  });

  it('puts a fed broadcast on air while live, and takes it off when the feed goes', () => {
    const { registry, calls } = setUp();
    registry.create({ id: 'cam', title: 'Cam' });
    registry.start('cam');
    expect(calls).toEqual([]);
    const [feed] = normalizeVideoInputs([{ id: 'cam', ...BARS }]);
    registry.attachFeed('cam', feed!);
    expect(calls).toEqual(['open cam', 'wake cam']);
    registry.attachFeed('cam', null);
    expect(calls.slice(2)).toEqual(['offAir cam live', 'close cam']);
  });

  it('stops following the registry when disconnected', () => {
    const { registry, calls, stop } = setUp();
    stop();
    registry.create({ id: 'bars', title: 'Bars', input: BARS });
    registry.start('bars');
    expect(calls).toEqual([]);
  });
});
