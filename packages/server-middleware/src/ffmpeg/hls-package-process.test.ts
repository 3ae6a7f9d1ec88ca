import { describe, expect, it } from 'vitest';
import type { VideoSource } from '../source/video-source';
import { type HlsPackageSpec, hlsPackageArgs } from './hls-package-process';

const file: VideoSource = {
  id: 'a',
  title: 'a',
  input: '/videos/a.mp4',
  format: null,
  inputOptions: [],
  kind: 'file',
  label: 'videos[0]',
};
const rung = { width: 640, height: 360, videoKbps: 700, maxKbps: 840, bufferKbps: 1400, level: '3.0' };
const spec: HlsPackageSpec = {
  source: file,
  seekSec: 12,
  fps: 30,
  audio: true,
  paced: true,
  catchUpSec: 0.4,
  segmentSeconds: 1,
  windowSegments: 6,
  startNumber: 1_700_000_000,
  directory: '/tmp/onair-hls-a-x',
  rungs: [
    { name: '360p', ...rung },
    { name: '720p', ...rung, width: 1280, height: 720 },
  ],
  audioKbps: 128,
};

function valuesAfter(args: string[], flag: string): string[] {
  return args.flatMap((arg, index) => (arg === flag ? [args[index + 1] ?? ''] : []));
}

describe('hlsPackageArgs', () => {
  it('decodes once (seek pass + loop) and encodes one output per rung from a split', () => {
    const args = hlsPackageArgs(spec);
    expect(args.join(' ')).toContain('-ss 12.000 -i /videos/a.mp4 -stream_loop -1 -i /videos/a.mp4');
    const graph = valuesAfter(args, '-filter_complex')[0] ?? '';
    expect(graph).toContain('split=2[s0][s1]');
    expect(graph).toContain('[s1]scale=1280:720');
    expect(graph).toContain('asplit=2[a0][a1]');
    expect(valuesAfter(args, '-f')).toEqual(['hls', 'hls']);
  });

  it('paces to real time after letting the already-due part of the first segment through', () => {
    const graph = valuesAfter(hlsPackageArgs(spec), '-filter_complex')[0] ?? '';
    expect(graph).toContain("setpts='max(PTS,0.400/TB)',realtime=limit=86400,setpts=N/(FRAME_RATE*TB)");
    const live = valuesAfter(hlsPackageArgs({ ...spec, paced: false }), '-filter_complex')[0] ?? '';
    expect(live).not.toContain('realtime');
  });

  it('puts a keyframe at every segment boundary and numbers segments from the start number', () => {
    const args = hlsPackageArgs(spec);
    expect(valuesAfter(args, '-g')).toEqual(['30', '30']);
    expect(valuesAfter(args, '-keyint_min')).toEqual(['30', '30']);
    expect(valuesAfter(args, '-sc_threshold')).toEqual(['0', '0']);
    expect(valuesAfter(args, '-force_key_frames')).toEqual([
      'expr:gte(t,n_forced*1)',
      'expr:gte(t,n_forced*1)',
    ]);
    expect(valuesAfter(args, '-start_number')).toEqual(['1700000000', '1700000000']);
    expect(valuesAfter(args, '-hls_fmp4_init_filename')[0]).toBe('init-1700000000.mp4');
    expect(valuesAfter(args, '-hls_segment_filename')).toEqual([
      '/tmp/onair-hls-a-x/360p/seg-%d.m4s',
      '/tmp/onair-hls-a-x/720p/seg-%d.m4s',
    ]);
    expect(valuesAfter(args, '-hls_delete_threshold')).toEqual(['6', '6']);
  });

  it('has no audio maps or encoder for a silent source', () => {
    const args = hlsPackageArgs({ ...spec, audio: false });
    expect(args).not.toContain('-c:a');
    expect(valuesAfter(args, '-map')).toEqual(['[v0]', '[v1]']);
  });

  it('starts every output of a broadcast at live: the GOP before it is decoded but not encoded', () => {
    const broadcast: VideoSource = { ...file, input: 'pipe:0', format: 'webm', kind: 'broadcast' };
    const args = hlsPackageArgs({ ...spec, source: broadcast, seekSec: 2.5, paced: false });
    expect(args.join(' ')).toContain('-f webm -i pipe:0 -filter_complex');
    expect(valuesAfter(args, '-ss')).toEqual(['2.500', '2.500']);
    expect(args.indexOf('-ss')).toBeGreaterThan(args.indexOf('-filter_complex'));
    expect(valuesAfter(hlsPackageArgs({ ...spec, source: broadcast, seekSec: null }), '-ss')).toEqual([]);
  });
});
