import { createHash } from 'node:crypto';
import { resolveFfmpegTools } from '@onair/server-middleware';
import { describe, expect, it } from 'vitest';
import { spawnDecodeProcess } from '../../packages/server-middleware/src/ffmpeg/decode-process';
import { stopWithGrace } from '../../packages/server-middleware/src/ffmpeg/supervised-child';
import { normalizeVideoInputs } from '../../packages/server-middleware/src/source/video-source';
import { fixturePath } from '../fixtures/fixture-files';

// The last output levels of a file channel make the decoder skip pictures (issue 9: on a machine too busy to decode
// every picture of a 1080p60 file, no output level was small enough). The bundled ffmpeg must accept the option on
// both inputs of a seeked file and keep the output rate, with fewer distinct pictures.

const [source] = normalizeVideoInputs([fixturePath('audioVideo')]);
const FRAMES = 45; // 3 s at 15 fps
const FRAME_BYTES = 320 * 240 * 3;

/** The first `FRAMES` raw frames of a decode, as hashes. */
async function decodedPictures(skipFrames?: 'noref' | 'nokey'): Promise<string[]> {
  const decode = spawnDecodeProcess(resolveFfmpegTools().ffmpeg, {
    source: source!,
    seekSec: 1,
    fps: 15,
    width: 320,
    height: 240,
    audio: false,
    ...(skipFrames ? { skipFrames } : {}),
  });
  const hashes: string[] = [];
  let pending = Buffer.alloc(0);
  for await (const chunk of decode.video) {
    pending = Buffer.concat([pending, chunk as Buffer]);
    while (pending.length >= FRAME_BYTES && hashes.length < FRAMES) {
      hashes.push(createHash('sha1').update(pending.subarray(0, FRAME_BYTES)).digest('hex'));
      pending = pending.subarray(FRAME_BYTES);
    }
    if (hashes.length >= FRAMES) break;
  }
  await stopWithGrace(decode, 2_000, [decode.video]);
  return hashes;
}

describe('a decoder that skips pictures', () => {
  it('keeps its frame rate with fewer distinct pictures: keyframes only (every 0.5 s in the fixture)', async () => {
    const every = await decodedPictures();
    const keyframes = await decodedPictures('nokey');
    const unreferenced = await decodedPictures('noref');
    expect(every).toHaveLength(FRAMES);
    expect(keyframes).toHaveLength(FRAMES);
    expect(unreferenced).toHaveLength(FRAMES);
    expect(new Set(every).size).toBeGreaterThan(40);
    // Two keyframes a second for three seconds, give or take one at each end.
    expect(new Set(keyframes).size).toBeGreaterThanOrEqual(5);
    expect(new Set(keyframes).size).toBeLessThanOrEqual(8);
  }, 60_000);
});
