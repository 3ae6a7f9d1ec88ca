import { describe, expect, it } from 'vitest';
import { packagerLevels } from './packager-levels';
import { planRenditions } from './renditions';

describe('packagerLevels', () => {
  it('goes from the whole ladder at veryfast to ultrafast, then drops the top rendition down to the lowest', () => {
    const renditions = planRenditions({ width: 1280, height: 720, fps: 30, hasAudio: true }, [360, 480, 720]);
    const levels = packagerLevels(renditions).map((level) => ({
      preset: level.preset,
      names: level.renditions.map((rendition) => rendition.name),
    }));
    expect(levels).toEqual([
      { preset: 'veryfast', names: ['360p', '480p', '720p'] },
      { preset: 'ultrafast', names: ['360p', '480p', '720p'] },
      { preset: 'ultrafast', names: ['360p', '480p'] },
      { preset: 'ultrafast', names: ['360p'] },
    ]);
  });
});
