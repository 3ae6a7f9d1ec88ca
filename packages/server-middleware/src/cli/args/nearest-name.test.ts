import { describe, expect, it } from 'vitest';
import { nearestName } from './nearest-name';

describe('nearestName', () => {
  const flags = ['port', 'host', 'mount', 'hls', 'max-fps', 'max-height', 'id', 'title', 'help'];

  it('finds a swap, a missing letter, an extra letter and a wrong one', () => {
    expect(nearestName('hsl', flags)).toBe('hls');
    expect(nearestName('prot', flags)).toBe('port');
    expect(nearestName('max-heigt', flags)).toBe('max-height');
    expect(nearestName('tittle', flags)).toBe('title');
    expect(nearestName('max-fsp', flags)).toBe('max-fps');
  });

  it('suggests nothing for a word that is not near any', () => {
    expect(nearestName('zzzzzz', flags)).toBeUndefined();
    expect(nearestName('verbose', flags)).toBeUndefined();
    expect(nearestName('x', [])).toBeUndefined();
  });
});
