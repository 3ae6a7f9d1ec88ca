import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode, type VideoInfo } from '@onair/protocol';
import { type LiveStreamLogger, liveStream } from '@onair/server-middleware';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { findMediaTool } from '../fixtures/media-tools';
import { type RunningHost, startHost } from './helpers/host-app';
import { json, rawGet } from './helpers/http-get';
import { TestViewer } from './helpers/test-viewer';

// Issue 10, finding 8: an 8K file was accepted silently (0.7 fps delivered, RSS up to 934 MB, catalog said
// 30 fps), and a faststart MP4 cut in half was announced at its full 30 s.

const DEFAULT_MAX_PIXEL_RATE = 1920 * 1080 * 60;
const SLOW_MS = 60_000;

let directory: string;
let eightK: string;
let truncated: string;

function ffmpeg(args: string[]): void {
  const result = spawnSync(findMediaTool('ffmpeg'), ['-y', '-hide_banner', '-loglevel', 'error', ...args], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (result.error || result.status !== 0) throw new Error(`ffmpeg failed: ${result.error ?? result.stderr}`);
}

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'onair-unservable-'));
  // A flat colour encodes and decodes far faster than a test card: one second of 8K costs little.
  eightK = join(directory, 'eight-k.mp4');
  ffmpeg([
    ...['-f', 'lavfi', '-i', 'color=c=navy:size=7680x4320:rate=5', '-t', '1'],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', eightK],
  ]);
  // 10 s stated by a moov at the front, then only the first half of the bytes: the data ends near 4.5 s.
  const whole = join(directory, 'whole.mp4');
  ffmpeg([
    ...['-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=10'],
    ...['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000', '-t', '10', '-ac', '2'],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-g', '10', '-pix_fmt', 'yuv420p'],
    ...['-c:a', 'aac', '-b:a', '32k', '-movflags', '+faststart', whole],
  ]);
  const bytes = readFileSync(whole);
  truncated = join(directory, 'cut-short.mp4');
  writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
});

afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

function recordingLogger(): LiveStreamLogger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, error() {}, warn: (message) => warnings.push(message) };
}

/** The height in a JPEG's start-of-frame segment. */
function jpegHeight(jpeg: Uint8Array): number {
  for (let at = 2; at + 9 < jpeg.length; ) {
    const marker = jpeg[at + 1] as number;
    if (marker >= 0xc0 && marker <= 0xc2) return ((jpeg[at + 5] as number) << 8) | (jpeg[at + 6] as number);
    at += 2 + (((jpeg[at + 2] as number) << 8) | (jpeg[at + 3] as number));
  }
  throw new Error('no start-of-frame segment in the JPEG');
}

async function catalogOf(host: RunningHost): Promise<VideoInfo[]> {
  return json(await rawGet(host.origin, '/live/videos')) as VideoInfo[];
}

describe('a source over maxPixelRate', () => {
  let host: RunningHost | null = null;
  const viewers: TestViewer[] = [];

  afterEach(async () => {
    for (const viewer of viewers.splice(0)) viewer.close();
    await host?.close();
    host = null;
  });

  it(
    'is scaled down by default: the catalog says the size served, and the decoder decodes to it',
    async () => {
      const logger = recordingLogger();
      host = await startHost([{ id: 'eight-k', input: eightK }], { logger });
      const [entry] = await catalogOf(host);
      expect(entry).toBeDefined();
      const { width, height, fps } = entry as VideoInfo;
      expect(fps).toBe(5);
      expect(width * height * fps).toBeLessThanOrEqual(DEFAULT_MAX_PIXEL_RATE);
      // The largest 16:9 size within 1080p60's pixels at 5 fps, not 8K.
      expect(height).toBeGreaterThan(2000);
      expect(height).toBeLessThan(4320);
      expect(width / height).toBeCloseTo(16 / 9, 2);
      expect(logger.warnings.join('\n')).toContain(`over maxPixelRate`);
      expect(logger.warnings.join('\n')).toContain(eightK);

      const viewer = await TestViewer.connect(host.wsUrl);
      viewers.push(viewer);
      viewer.send({ type: 'select', videoId: 'eight-k' });
      const stream = await viewer.next('stream');
      expect(Math.max(...stream.rungs.map((rung) => rung.height))).toBeLessThanOrEqual(height);
      // Decoding 8K itself is slow (scaling bounds what follows the decode, not the decode): frames may be shed
      // on a busy machine, so the decoder's own output size is what is checked, and any frame that arrives.
      const live = host.live;
      const output = await viewer.waitFor(() => live.stats().channels[0]?.output, 'a decoder', SLOW_MS);
      // Level 0 is exactly the catalog's size; a machine too slow for it may have stepped lower since.
      expect(output.width).toBeLessThanOrEqual(width);
      expect(output.height).toBeLessThanOrEqual(height);
      expect(output.width * output.height * output.fps).toBeLessThanOrEqual(DEFAULT_MAX_PIXEL_RATE);
      for (const frame of viewer.video) expect(jpegHeight(frame.payload)).toBeLessThanOrEqual(height);
    },
    SLOW_MS * 2,
  );

  it('is served at its own size when the cap is lifted', async () => {
    host = await startHost([{ id: 'eight-k', input: eightK }], { maxPixelRate: null });
    expect(await catalogOf(host)).toMatchObject([{ width: 7680, height: 4320 }]);
  });

  it('makes liveStream() throw, naming the file, with overPixelRate: "refuse"', () => {
    expect(() => liveStream([eightK], { overPixelRate: 'refuse', logger: false })).toThrow(
      `liveStream: videos[0] ("${eightK}"): 7680x4320 at 5 fps is 165 888 000 pixels/s, ` +
        `over maxPixelRate (124 416 000), and overPixelRate is "refuse" (${eightK})`,
    );
  });

  it(
    'fails a generated channel with ONAIR_CHANNEL_FAILED saying why, with overPixelRate: "refuse"',
    async () => {
      const logger = recordingLogger();
      host = await startHost(
        [{ id: 'huge', input: 'color=c=navy:size=7680x4320:rate=10', format: 'lavfi' }],
        { overPixelRate: 'refuse', logger, restartDelayMs: 5_000 },
      );
      const viewer = await TestViewer.connect(host.wsUrl);
      viewers.push(viewer);
      const failed = viewer.nextError(ErrorCode.ChannelFailed, SLOW_MS);
      viewer.send({ type: 'select', videoId: 'huge' });
      expect((await failed).message).toContain(
        'over maxPixelRate (124 416 000), and overPixelRate is "refuse"',
      );
      expect(logger.warnings.join('\n')).toMatch(/channel "huge" failed.*over maxPixelRate/);
      expect(viewer.video).toEqual([]);
    },
    SLOW_MS * 2,
  );
});

describe('a file whose data ends before its stated duration', () => {
  let host: RunningHost | null = null;
  const viewers: TestViewer[] = [];

  afterEach(async () => {
    for (const viewer of viewers.splice(0)) viewer.close();
    await host?.close();
    host = null;
  });

  it('is announced at the length of its data, with a warning naming it', async () => {
    const logger = recordingLogger();
    host = await startHost([{ id: 'cut', input: truncated }], { logger });
    const [entry] = await catalogOf(host);
    expect(entry?.duration).toBeGreaterThan(3.5);
    expect(entry?.duration).toBeLessThan(5.5);
    expect(logger.warnings.join('\n')).toMatch(
      /its data ends at [\d.]+ s, before the 10 s its header states/,
    );
    expect(logger.warnings.join('\n')).toContain(truncated);
  });

  it(
    'loops at the end of its data: at a moment past it on the stated timeline, the stream and a thumbnail come from real data',
    async () => {
      // 7 s after the epoch: past the data on a 10 s loop, 7 mod ~4.5 into it on the real one.
      host = await startHost([{ id: 'cut', input: truncated }], { epoch: Date.now() - 7_000 });
      const [entry] = await catalogOf(host);
      const duration = entry?.duration ?? 0;
      expect(duration).toBeLessThan(5.5);
      // No viewer yet, so the thumbnail is grabbed from the file at the channel's position: within the data.
      const thumbnail = await rawGet(host.origin, '/live/videos/cut/thumbnail.jpg');
      expect(thumbnail.status).toBe(200);
      expect(thumbnail.headers['content-type']).toBe('image/jpeg');
      const viewer = await TestViewer.connect(host.wsUrl);
      viewers.push(viewer);
      viewer.send({ type: 'select', videoId: 'cut' });
      const stream = await viewer.next('stream');
      expect(stream.duration).toBe(duration);
      expect(stream.position).toBeLessThan(duration);
      // Past the loop point and on: frames keep coming.
      await viewer.collectVideo(30, SLOW_MS);
    },
    SLOW_MS * 2,
  );
});
