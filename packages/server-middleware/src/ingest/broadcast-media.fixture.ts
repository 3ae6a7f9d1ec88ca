import { spawnSync } from 'node:child_process';
import { resolveFfmpegTools } from '../ffmpeg/binaries';

/**
 * A short live stream made by ffmpeg, as a broadcaster would send it: VP8/Opus WebM (what MediaRecorder makes)
 * or H.264/AAC FLV (what OBS pushes over RTMP). 30 fps with a keyframe every `gop` frames; `seconds` long.
 */
export function broadcastMedia(container: 'webm' | 'flv', seconds = 3, gop = 30): Buffer {
  const codecs =
    container === 'webm'
      ? ['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '400k', '-c:a', 'libopus']
      : ['-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-c:a', 'aac'];
  const live = container === 'webm' ? ['-live', '1'] : [];
  const result = spawnSync(
    resolveFfmpegTools().ffmpeg,
    [
      '-hide_banner',
      '-loglevel',
      'error',
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=320x240:rate=30',
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=440:sample_rate=48000',
      '-t',
      String(seconds),
      ...codecs,
      '-g',
      String(gop),
      '-keyint_min',
      String(gop),
      '-f',
      container,
      ...live,
      'pipe:1',
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  if (result.status !== 0) throw new Error(`ffmpeg failed: ${result.stderr?.toString()}`);
  return result.stdout;
}

/** `bytes` cut into chunks of `size` (the last shorter): how a socket or MediaRecorder hands them over. */
export function chunksOf(bytes: Buffer, size: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += size)
    chunks.push(bytes.subarray(offset, offset + size));
  return chunks;
}
