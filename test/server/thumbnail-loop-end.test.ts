import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { fixturePath } from '../fixtures/fixture-files';
import { type RunningHost, startHost } from './helpers/host-app';
import { json, rawGet } from './helpers/http-get';

/**
 * The last frame of a file starts a frame before its end (and its sound can run a little longer), so a grab that
 * seeks to the last few ms of the loop finds no picture. The clock is frozen there (only `Date`: ffmpeg, sockets
 * and timers run for real) so the request lands on that moment every time, not once in a hundred.
 */
describe('a thumbnail asked for in the last moment of a looping file', () => {
  let host: RunningHost;
  let durationMs: number;

  beforeAll(async () => {
    host = await startHost([fixturePath('audioVideo')], {
      epoch: 0,
      thumbnailMaxAgeMs: 0,
      thumbnailWidth: 160,
    });
    const [video] = json(await rawGet(host.origin, '/live/videos')) as [{ duration: number }];
    durationMs = video.duration * 1000;
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  afterAll(async () => {
    await host?.close();
  });

  it.each([5, 20, 40])('is a real JPEG %s ms before the loop ends, not a 503', async (beforeEndMs) => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_000 * durationMs + durationMs - beforeEndMs);
    const response = await rawGet(host.origin, '/live/videos/av-320x240-30fps/thumbnail.jpg');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('image/jpeg');
    const image = await sharp(response.body).metadata();
    expect(image).toMatchObject({ format: 'jpeg', width: 160, height: 120 });
  });
});
