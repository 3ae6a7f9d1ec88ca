import { createServer } from 'node:net';
import type { VideoInfo } from '@onair/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensurePageBuilt } from '../../examples/demo/build-page';
import { fixturePath } from '../fixtures/fixture-files';
import { CliProcess, runCli } from './cli-process';

const FIXTURE = fixturePath('audioVideo');
const FIXTURE_ID = 'av-320x240-30fps';
const MOUNT = '/tv';

/** A port nothing listens on: bound by the OS, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// `onair serve` serves the page from the package's build, as `npm run onair` makes sure of before it starts.
beforeAll(() => ensurePageBuilt({ log: () => {} }));

describe('onair serve and onair watch', () => {
  let serve: CliProcess;
  let origin: string;
  const started: CliProcess[] = [];

  beforeAll(async () => {
    serve = new CliProcess(['serve', FIXTURE, '--port', '0', '--mount', MOUNT]);
    started.push(serve);
    const [, url] = await serve.waitForOutput(/(http:\/\/127\.0\.0\.1:\d+)\//, 90_000);
    origin = url!;
  });

  afterAll(async () => {
    for (const cli of started) {
      if (cli.running) cli.child.kill('SIGKILL');
      await cli.exited;
    }
  });

  it('serve answers the catalog at the mount path and serves the page pointed at it', async () => {
    const catalog = (await (await fetch(`${origin}${MOUNT}/videos`)).json()) as VideoInfo[];
    expect(catalog.map((video) => video.id)).toEqual([FIXTURE_ID]);
    // HLS is off unless --hls asks for it.
    expect(catalog[0]?.hlsUrl ?? null).toBeNull();
    const page = await fetch(`${origin}/`);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const html = await page.text();
    expect(html).toContain(`<meta name="onair-url" content="${MOUNT}" />`);
    const script = html.match(/src="\.\/(assets\/[^"]+\.js)"/)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${origin}/${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('serve sends the page script compressed as the browser asks, brotli first (issue 11)', async () => {
    const html = await (await fetch(`${origin}/`)).text();
    const script = html.match(/src="\.\/(assets\/[^"]+\.js)"/)?.[1];
    const plain = await fetch(`${origin}/${script}`, { headers: { 'Accept-Encoding': 'identity' } });
    const source = await plain.text();
    expect(plain.headers.get('content-encoding')).toBeNull();
    for (const [accepted, expected] of [
      ['gzip, deflate, br, zstd', 'br'],
      ['gzip', 'gzip'],
    ] as const) {
      // fetch decodes the body; the header says what came over the wire.
      const asset = await fetch(`${origin}/${script}`, { headers: { 'Accept-Encoding': accepted } });
      expect(asset.headers.get('content-encoding')).toBe(expected);
      expect(asset.headers.get('content-type')).toMatch(/^text\/javascript/);
      expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(await asset.text()).toBe(source);
    }
  });

  it('serve shows the ffmpeg it runs: its version, path and where it was found', async () => {
    const [line] = await serve.waitForOutput(/ {2}ffmpeg: {2}.+/, 10_000);
    expect(line).toMatch(/ffmpeg \S+ .*at \/\S+ \(from (the PATH|FFMPEG_PATH|@ffmpeg-installer\/ffmpeg)\)$/);
  });

  it('watch given the page URL that serve prints finds the mount the page names (issue 12)', async () => {
    const watch = new CliProcess(['watch', `${origin}/`, '--seconds', '1', '--json']);
    started.push(watch);
    const result = await watch.finish(30_000);
    expect(result.stderr).toContain(`OnAir mount found at ${origin}${MOUNT}`);
    expect(result.stderr).toContain(`Watching "${FIXTURE_ID}"`);
    expect(result.code).toBe(0);
  });

  it('watch --seconds 3 --json prints one sample a second with fps above 20 and latency, then exits 0', async () => {
    const watch = new CliProcess(['watch', `${origin}${MOUNT}`, '--seconds', '3', '--json']);
    started.push(watch);
    const result = await watch.finish(30_000);
    expect(result.stderr).toContain(`Watching "${FIXTURE_ID}"`);
    expect(result.code).toBe(0);

    const samples = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(samples).toHaveLength(3);
    expect(samples.map((sample) => sample.elapsedS)).toEqual([1, 2, 3]);
    for (const sample of samples) {
      expect(sample.videoId).toBe(FIXTURE_ID);
      expect(sample.fps).toBeGreaterThan(20);
      expect(sample.latencyMs.mean).toBeGreaterThanOrEqual(0);
      expect(sample.latencyMs.max).toBeGreaterThanOrEqual(sample.latencyMs.min);
      expect(Number.isInteger(sample.rung)).toBe(true);
      expect(sample.quality).toBeGreaterThan(0);
      // 320x240 JPEGs at 30 fps and 48 kHz stereo PCM (1536 kbit/s) are both flowing.
      expect(sample.videoKbps).toBeGreaterThan(100);
      expect(sample.audioKbps).toBeGreaterThan(1000);
      expect(sample.bufferMs).toBeGreaterThan(0);
    }
  });

  it('watch prints readable lines without --json', async () => {
    const result = await runCli(['watch', `${origin}${MOUNT}/`, '--seconds', '1', '--video', FIXTURE_ID]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\s+1s\s+fps\s+\d+\.\d\s+rung \d q\d+ auto\s+latency \d+ ms/);
  });

  it('watch --video with an id the server lacks exits 1 and lists the ids it has', async () => {
    const result = await runCli(['watch', `${origin}${MOUNT}`, '--seconds', '1', '--video', 'nope']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`no video "nope" on this server; it has: ${FIXTURE_ID}`);
  });

  it('watch at a path with no OnAir mount exits 1 naming the URL and saying what to give (issue 12)', async () => {
    const result = await runCli(['watch', `${origin}/elsewhere`, '--seconds', '1']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `no OnAir mount at ${origin}/elsewhere: ${origin}/elsewhere/videos is not a catalog, nor is ${origin}/live/videos`,
    );
    expect(result.stderr).toContain(`onair watch ${origin}/<mount path>`);
  });

  it('serve stops on SIGTERM with exit 0 and frees its port', async () => {
    serve.child.kill('SIGTERM');
    const result = await serve.finish(15_000);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('SIGTERM: stopping');
    await expect(fetch(`${origin}${MOUNT}/videos`)).rejects.toThrow();
  });
});

describe('onair serve --hls', () => {
  let serve: CliProcess | undefined;

  afterAll(async () => {
    serve?.child.kill('SIGKILL');
    await serve?.exited;
  });

  it('offers HLS: the catalog gives a master playlist URL under the mount', async () => {
    serve = new CliProcess(['serve', FIXTURE, '--port', '0', '--hls']);
    const [, origin] = await serve.waitForOutput(/(http:\/\/127\.0\.0\.1:\d+)\//, 90_000);
    const catalog = (await (await fetch(`${origin}/live/videos`)).json()) as VideoInfo[];
    expect(catalog[0]?.hlsUrl).toMatch(/^\/live\/.+\.m3u8$/);
  });
});

describe('onair serve with names and limits', () => {
  let serve: CliProcess | undefined;

  afterAll(async () => {
    serve?.child.kill('SIGKILL');
    await serve?.exited;
  });

  it('names the same file twice with --id/--title in order, and caps the channels with --max-fps/--max-height', async () => {
    serve = new CliProcess([
      'serve',
      FIXTURE,
      FIXTURE,
      '--id',
      'morning',
      '--title',
      'Morning show',
      '--id',
      'evening',
      '--max-fps',
      '15',
      '--max-height',
      '120',
      '--port',
      '0',
    ]);
    const [, origin] = await serve.waitForOutput(/(http:\/\/127\.0\.0\.1:\d+)\//, 90_000);
    const catalog = (await (await fetch(`${origin}/live/videos`)).json()) as VideoInfo[];
    expect(catalog.map(({ id, title }) => ({ id, title }))).toEqual([
      { id: 'morning', title: 'Morning show' },
      // No second --title: the title from the file name.
      { id: 'evening', title: FIXTURE_ID },
    ]);
    for (const video of catalog) expect(video).toMatchObject({ width: 160, height: 120, fps: 15 });
  });

  it('without --id, the same file twice is refused with the middleware message that now has an answer', async () => {
    const result = await runCli(['serve', FIXTURE, FIXTURE, '--port', '0']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('give one an explicit id');
  });
});

describe('onair when things go wrong', () => {
  it('watch against a closed port exits 1 with a clear message', async () => {
    const port = await closedPort();
    const result = await runCli(['watch', `http://127.0.0.1:${port}/live`, '--seconds', '2']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`onair: cannot connect to ws://127.0.0.1:${port}/live/ws`);
    expect(result.stderr).toContain('ECONNREFUSED');
    expect(result.stdout).toBe('');
  });

  it('serve with a file that is not a video exits 1 with the middleware message', async () => {
    const result = await runCli(['serve', fixturePath('textAsVideo'), '--port', '0']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^onair: liveStream: videos\[0\].*not-a-video\.mp4.*not a readable video/);
  });
});

describe('onair --help', () => {
  it.each([
    [['--help'], 'Usage: onair <command> [options]'],
    [['help'], 'Usage: onair <command> [options]'],
    [['serve', '--help'], 'Usage: onair serve <videos...> [options]'],
    [['help', 'serve'], 'Usage: onair serve <videos...> [options]'],
    [['watch', '-h'], 'Usage: onair watch <url> [options]'],
  ])('onair %j prints its usage and exits 0', async (args, usage) => {
    const result = await runCli(args);
    expect(result.code).toBe(0);
    expect(result.stdout.startsWith(usage)).toBe(true);
    expect(result.stderr).toBe('');
  });
});

describe('onair with a bad command line', () => {
  it.each([
    [[], 'missing command'],
    [['broadcast'], 'unknown command "broadcast"'],
    [['serve'], 'serve needs at least one video file'],
    [['serve', 'a.mp4', '--port', 'eighty'], '--port must be an integer from 0 to 65535, got "eighty"'],
    [['serve', 'a.mp4', '--port', '70000'], '--port must be an integer from 0 to 65535, got "70000"'],
    [['serve', 'a.mp4', '--mount', 'live'], '--mount must be a path like /live'],
    [['serve', 'a.mp4', '--verbose'], 'unknown flag --verbose'],
    [['serve', 'a.mp4', '--hsl'], 'unknown flag --hsl; did you mean --hls?'],
    [
      ['watch', 'http://127.0.0.1:3000/live', '--secnods', '3'],
      'unknown flag --secnods; did you mean --seconds?',
    ],
    [['serve', 'a.mp4', '--max-fps', 'fast'], '--max-fps must be a number from 1 to 120, got "fast"'],
    [
      ['serve', 'a.mp4', '--max-height', '9000'],
      '--max-height must be an integer from 16 to 4320, got "9000"',
    ],
    [['serve', 'a.mp4', 'b.mp4', '--id', 'x', '--id', 'y', '--id', 'z'], '3 --id given for 2 video(s)'],
    [['watch'], 'watch needs the server URL'],
    [['watch', 'localhost:3000'], '<url> must use http, https, ws or wss'],
    [
      ['watch', 'http://127.0.0.1:3000/live', '--seconds', '0'],
      '--seconds must be an integer from 1 to 86400',
    ],
    [['watch', 'http://127.0.0.1:3000/live', '--seconds'], "Option '--seconds <value>' argument missing"],
    [['watch', 'http://127.0.0.1:3000/live', '--video', '../x'], '--video must be a video id'],
  ])('onair %j exits 2 with a message on stderr', async (args, message) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`onair: ${message}`);
    expect(result.stderr).toMatch(/See `onair( \w+)? --help` for usage\./);
    expect(result.stdout).toBe('');
  });
});
