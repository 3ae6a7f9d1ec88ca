import { describe, expect, it } from 'vitest';
import type { VideoSource } from '../source/video-source';
import { decodeArgs } from './decode-process';
import { BROADCAST_INPUT_OPTIONS, feedInputOptions } from './feed-input';
import { hlsPackageArgs } from './hls-package-process';
import { thumbnailArgs } from './thumbnail-grab';

const live: VideoSource = {
  id: 'cam',
  title: 'Cam',
  input: 'rtsp://camera/stream',
  format: null,
  inputOptions: ['-rtsp_transport', 'tcp'],
  kind: 'live',
  label: 'videos[0]',
};
const broadcast: VideoSource = {
  ...live,
  input: 'pipe:0',
  format: 'flv',
  inputOptions: [],
  kind: 'broadcast',
};

describe('feedInputOptions', () => {
  it('reads a broadcast with a short probe (its init says what the streams are), other inputs as given', () => {
    expect(BROADCAST_INPUT_OPTIONS).toEqual(['-analyzeduration', '100000']);
    expect(feedInputOptions(broadcast)).toEqual(BROADCAST_INPUT_OPTIONS);
    expect(feedInputOptions(live)).toEqual(['-rtsp_transport', 'tcp']);
  });

  it('puts them before the input of the decoder, the HLS packager and the thumbnail grab', () => {
    const decode = { seekSec: null, fps: 30, width: 320, height: 240, audio: true };
    const hls = {
      seekSec: null,
      fps: 30,
      audio: true,
      paced: false,
      catchUpSec: 0,
      segmentSeconds: 1,
      windowSegments: 4,
      startNumber: 1,
      directory: '/tmp/x',
      rungs: [],
      audioKbps: 128,
    };
    const input = '-analyzeduration 100000 -f flv -i pipe:0';
    // The decoder adds its own option for a live input between them (no frame threading).
    expect(decodeArgs({ ...decode, source: broadcast }).join(' ')).toContain(
      '-analyzeduration 100000 -thread_type slice -f flv -i pipe:0',
    );
    expect(hlsPackageArgs({ ...hls, source: broadcast }).join(' ')).toContain(input);
    expect(thumbnailArgs(broadcast, null, 320).join(' ')).toContain(input);
    expect(decodeArgs({ ...decode, source: live })).not.toContain('-analyzeduration');
  });
});
