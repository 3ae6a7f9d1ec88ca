import { describe, expect, it } from 'vitest';
import { initialSnapshot } from '../../client/state/snapshot';
import { qualityChoices } from './quality-choices';

describe('qualityChoices', () => {
  it('offers the JPEG ladder over WebSocket, selecting the locked rung or auto', () => {
    const snapshot = { ...initialSnapshot('ws', 'ws'), ladder: [40, 70, 90], rung: 1 };
    expect(qualityChoices(snapshot)).toEqual({
      value: 'auto',
      autoLabel: 'Auto (Q70)',
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
      autoLabel: 'Auto',
      options: [
        { value: '0', label: '240p' },
        { value: '1', label: '480p' },
      ],
    });
    expect(qualityChoices({ ...snapshot, hlsLevel: 1 }).value).toBe('1');
  });

  it('names the rungs by size when the server describes them (stream.rungs), and Auto by the rung playing', () => {
    const rung = { width: 854, height: 480, quality: 70, kbps: 900 };
    const base = initialSnapshot('ws', 'ws');
    const stream = {
      videoId: 'card',
      width: 854,
      height: 480,
      fps: 30,
      viewerFps: 30,
      audio: null,
      channelTime: 0,
      position: null,
      duration: null,
      rung: 1,
      rungs: [
        { ...rung, height: 240, label: '240p' },
        { ...rung, label: '480p' },
        { ...rung, quality: 90, label: '480p · high' },
      ],
    };
    const snapshot = { ...base, ladder: [40, 70, 90], rung: 1, stream };
    expect(qualityChoices(snapshot)).toEqual({
      value: 'auto',
      autoLabel: 'Auto (480p)',
      options: [
        { value: '0', label: '240p' },
        { value: '1', label: '480p' },
        { value: '2', label: '480p · high' },
      ],
    });
    // A server from before rungs: the JPEG numbers.
    expect(qualityChoices({ ...snapshot, stream: { ...stream, rungs: [] } }).options[2]?.label).toBe('Q90');
  });
});
