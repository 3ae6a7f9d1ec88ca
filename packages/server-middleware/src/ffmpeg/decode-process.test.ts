import { describe, expect, it } from 'vitest';
import { broadcastSource, type VideoSource } from '../source/video-source';
import { decodeArgs } from './decode-process';

const file: VideoSource = {
  id: 'a',
  title: 'a',
  input: '/videos/a.mp4',
  format: null,
  inputOptions: [],
  kind: 'file',
  label: 'videos[0]',
};
const spec = { source: file, seekSec: 1.5, fps: 30, width: 320, height: 240, audio: true };

function valueAfter(args: string[], flag: string): string | undefined {
  return args[args.indexOf(flag) + 1];
}

describe('decodeArgs', () => {
  it('reads a broadcast on stdin and skips to the live edge on each output (an input -ss on a pipe outputs nothing)', () => {
    const feed = { container: 'webm', attach: () => ({ skipMs: 0, close() {} }) };
    const args = decodeArgs({
      ...spec,
      source: broadcastSource({ id: 'cam', title: 'Cam', feed }),
      seekSec: 0.8,
    });
    const joined = args.join(' ');
    expect(joined).toContain('-f webm -i pipe:0 -filter_complex');
    expect(joined).toContain(
      '-ss 0.800 -map [vout] -f rawvideo pipe:1 -ss 0.800 -map [aout] -f s16le pipe:3',
    );
  });

  it("decodes a broadcast without frame threading (each picture out as it comes), a file with ffmpeg's default", () => {
    const feed = { container: 'webm', attach: () => ({ skipMs: 0, close() {} }) };
    const live = decodeArgs({
      ...spec,
      source: broadcastSource({ id: 'cam', title: 'Cam', feed }),
      seekSec: null,
    });
    expect(live.join(' ')).toContain('-thread_type slice -f webm -i pipe:0');
    expect(decodeArgs(spec)).not.toContain('-thread_type');
  });

  it('opens a seeked file twice, a pass from the live position then an endless loop from 0, joined by concat', () => {
    const args = decodeArgs(spec);
    expect(args.join(' ')).toContain('-ss 1.500 -i /videos/a.mp4 -stream_loop -1 -i /videos/a.mp4');
    expect(valueAfter(args, '-filter_complex')).toContain('[0:v:0][0:a:0][1:v:0][1:a:0]concat=n=2:v=1:a=1');
  });

  it('tells the video decoder of both inputs which pictures to skip, on the last output levels', () => {
    const args = decodeArgs({ ...spec, skipFrames: 'nokey' });
    expect(args.join(' ')).toContain(
      '-skip_frame:v nokey -ss 1.500 -i /videos/a.mp4 -skip_frame:v nokey -stream_loop -1 -i /videos/a.mp4',
    );
    expect(decodeArgs(spec)).not.toContain('-skip_frame:v');
  });

  it('writes rgb24 frames to stdout and s16le 48 kHz stereo to fd 3', () => {
    const args = decodeArgs(spec);
    const graph = valueAfter(args, '-filter_complex') ?? '';
    expect(graph).toContain('fps=30,scale=320:240,setsar=1,format=rgb24[vout]');
    expect(graph).toContain('aformat=sample_fmts=s16:sample_rates=48000:channel_layouts=stereo[aout]');
    expect(args.slice(-10)).toEqual([
      '-map',
      '[vout]',
      '-f',
      'rawvideo',
      'pipe:1',
      '-map',
      '[aout]',
      '-f',
      's16le',
      'pipe:3',
    ]);
  });

  it('has no audio output and no audio pads for a video-only file', () => {
    const args = decodeArgs({ ...spec, audio: false });
    expect(args).not.toContain('pipe:3');
    expect(valueAfter(args, '-filter_complex')).toContain('[0:v:0][1:v:0]concat=n=2:v=1:a=0[vcat]');
  });

  it('loops from 0 with a single input when there is nothing to seek', () => {
    const args = decodeArgs({ ...spec, seekSec: null });
    expect(args.filter((arg) => arg === '-i')).toHaveLength(1);
    expect(args.join(' ')).toContain('-stream_loop -1 -i /videos/a.mp4');
  });

  it('reads a lavfi graph once, with its format and without looping', () => {
    const lavfi: VideoSource = {
      ...file,
      kind: 'generated',
      format: 'lavfi',
      input: 'testsrc2=size=640x360',
    };
    const args = decodeArgs({ ...spec, source: lavfi, audio: false });
    expect(args.join(' ')).toContain('-f lavfi -i testsrc2=size=640x360');
    expect(args).not.toContain('-stream_loop');
    expect(args).not.toContain('-ss');
  });
});
