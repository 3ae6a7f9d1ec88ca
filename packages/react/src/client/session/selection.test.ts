import { describe, expect, it } from 'vitest';
import { defaultMockVideos } from '../../mock';
import { Selection } from './selection';

describe('Selection', () => {
  it('asks for the video with media, its frame rate and a locked rung; for the room only without media', () => {
    const selection = new Selection('sunset', 10);
    selection.quality = 3;
    expect(selection.messages(true)).toEqual([
      { type: 'select', videoId: 'sunset', videoFps: 10 },
      { type: 'quality', rung: 3 },
    ]);
    expect(selection.messages(false)).toEqual([{ type: 'select', videoId: 'sunset', media: false }]);
  });

  it('asks for nothing until a video is chosen, then for the catalog\u2019s first only when none was given', () => {
    const catalog = defaultMockVideos();
    const waiting = new Selection(undefined, undefined);
    expect(waiting.messages(true)).toEqual([]);
    expect(waiting.fromCatalog(catalog)).toBe('ocean');
    expect(new Selection(null, undefined).fromCatalog(catalog)).toBeNull();
    waiting.choose('sunset');
    expect(waiting.fromCatalog(catalog)).toBeNull();
    expect(waiting.messages(true)).toEqual([{ type: 'select', videoId: 'sunset' }]);
  });
});
