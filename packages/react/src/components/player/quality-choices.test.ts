import { describe, expect, it } from 'vitest';
import { initialSnapshot } from '../../client/state/snapshot';
import { qualityChoices } from './quality-choices';

describe('qualityChoices', () => {
  it('offers the JPEG ladder over WebSocket, selecting the locked rung or auto', () => {
    const snapshot = { ...initialSnapshot('ws', 'ws'), ladder: [40, 70, 90], rung: 1 };
    expect(qualityChoices(snapshot)).toEqual({
      value: 'auto',
      options: [
        { value: '0', label: 'Q40' },
        { value: '1', label: 'Q70' },
        { value: '2', label: 'Q90' },
      ],
    });
    expect(qualityChoices({ ...snapshot, qualityMode: 'locked' }).value).toBe('1');
  });

  it('offers the renditions over HLS, selecting the locked level or auto', () => {
    const level = { width: 854, height: 480, bitrateKbps: 1_400 };
    const snapshot = {
      ...initialSnapshot('ws', 'hls'),
      hlsLevels: [
        { ...level, index: 0, label: '240p' },
        { ...level, index: 1, label: '480p' },
      ],
    };
    expect(qualityChoices(snapshot)).toEqual({
      value: 'auto',
      options: [
        { value: '0', label: '240p' },
        { value: '1', label: '480p' },
      ],
    });
    expect(qualityChoices({ ...snapshot, hlsLevel: 1 }).value).toBe('1');
  });
});
