import { describe, expect, it, vi } from 'vitest';
import { resolveOptions } from '../options/live-stream-options';
import { normalizeVideoInputs } from '../source/video-source';
import { StreamChannels } from './stream-channels';

const tools = { ffmpeg: 'ffmpeg', ffprobe: 'ffprobe' };
const logger = { error: vi.fn(), warn: vi.fn() };
const [bars] = normalizeVideoInputs([{ id: 'bars', input: 'testsrc2', format: 'lavfi' }]);

describe('StreamChannels', () => {
  it('adds a channel and its packager to the maps readers hold, and takes both out on close', async () => {
    const set = new StreamChannels(tools, resolveOptions({ hls: true, logger }));
    const { channels, packagers } = set;
    const channel = set.open(bars!);
    expect(channels.get('bars')).toBe(channel);
    expect(packagers?.has('bars')).toBe(true);
    const closed = set.close('bars');
    expect(channels.has('bars')).toBe(false);
    expect(packagers?.has('bars')).toBe(false);
    await closed;
    await set.close('bars');
  });

  it('has no packagers without HLS, replaces a channel of the same id, and closes them all', async () => {
    const set = new StreamChannels(tools, resolveOptions({ logger }));
    expect(set.packagers).toBeNull();
    const first = set.open(bars!);
    const closeFirst = vi.spyOn(first, 'close');
    const second = set.open(bars!);
    expect(closeFirst).toHaveBeenCalledOnce();
    expect(set.channels.get('bars')).toBe(second);
    await set.closeAll();
    expect(set.channels.size).toBe(0);
  });
});
