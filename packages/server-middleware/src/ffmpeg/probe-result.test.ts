import { describe, expect, it } from 'vitest';
import { ProbeError, parseProbeJson } from './probe-result';

const video = {
  codec_type: 'video',
  width: 1920,
  height: 1080,
  avg_frame_rate: '30000/1001',
  r_frame_rate: '30000/1001',
};
const audio = { codec_type: 'audio' };

describe('parseProbeJson', () => {
  it('reads size, rate, duration and audio', () => {
    const result = parseProbeJson(JSON.stringify({ streams: [video, audio], format: { duration: '12.5' } }));
    expect(result).toEqual({
      durationSec: 12.5,
      width: 1920,
      height: 1080,
      fps: 30000 / 1001,
      hasAudio: true,
    });
  });

  it('falls back to r_frame_rate, and has no duration for endless inputs', () => {
    const result = parseProbeJson(
      JSON.stringify({ streams: [{ ...video, avg_frame_rate: '0/0', r_frame_rate: '25/1' }], format: {} }),
    );
    expect(result).toMatchObject({ fps: 25, durationSec: null, hasAudio: false });
  });

  it('swaps width and height for a stream rotated by 90°', () => {
    const rotated = { ...video, side_data_list: [{ rotation: -90 }] };
    expect(parseProbeJson(JSON.stringify({ streams: [rotated] }))).toMatchObject({
      width: 1080,
      height: 1920,
    });
    const tagged = { ...video, tags: { rotate: '270' } };
    expect(parseProbeJson(JSON.stringify({ streams: [tagged] }))).toMatchObject({
      width: 1080,
      height: 1920,
    });
  });

  it('says "audio only" for a file whose only picture is cover art', () => {
    const cover = { ...video, disposition: { attached_pic: 1 } };
    expect(() => parseProbeJson(JSON.stringify({ streams: [audio, cover] }))).toThrow(ProbeError);
    expect(() => parseProbeJson(JSON.stringify({ streams: [audio, cover] }))).toThrow(
      /no video stream \(audio only\)/,
    );
  });

  it('refuses output that is not JSON', () => {
    expect(() => parseProbeJson('Invalid data found')).toThrow(ProbeError);
  });
});
