import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode } from '@onair/protocol';
import { resolveFfmpegTools } from '@onair/server-middleware';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath } from '../fixtures/fixture-files';
import { mediaChildren } from './helpers/child-processes';
import { type RunningHost, startHost } from './helpers/host-app';
import { json, type RawResponse, rawGet } from './helpers/http-get';
import { TestViewer } from './helpers/test-viewer';

// Issue 10: a thumbnail with ffmpeg deleted or made non-executable while running killed the process (a TypeError
// in fluent-ffmpeg); with an ffmpeg that exits 1, the host's default error handler answered an HTML 500 with the
// stack trace and absolute paths (Express prints them whenever NODE_ENV is not "production", as here).
describe('ffmpeg that fails, is deleted or is not executable while the server runs', () => {
  let directory: string;
  let ffmpeg: string;
  let host: RunningHost;
  const logged: string[] = [];
  const viewers: TestViewer[] = [];
  const realFfmpeg = resolveFfmpegTools().ffmpeg;

  function installFfmpeg(body: string, mode = 0o755): void {
    rmSync(ffmpeg, { force: true });
    writeFileSync(ffmpeg, `#!/bin/sh\n${body}\n`);
    chmodSync(ffmpeg, mode);
  }

  /** A thumbnail answer as a client must get it: JSON with a code, a Retry-After, nothing of the server. */
  function expectCleanRefusal(response: RawResponse): void {
    expect(response.status).toBe(503);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.headers['retry-after']).toMatch(/^\d+$/);
    expect(json(response)).toEqual({
      error: {
        code: ErrorCode.ChannelFailed,
        message: 'no thumbnail could be made for this video now; retry',
      },
    });
    const body = response.body.toString('utf8');
    expect(body).not.toContain(directory);
    expect(body).not.toMatch(/\bat .*\(|<html|<pre/i);
  }

  /** A viewer of `videoId` gets ONAIR_CHANNEL_FAILED, its message naming the cause and no server path. */
  async function expectChannelFailed(videoId: string, cause: string | RegExp): Promise<void> {
    const viewer = await TestViewer.connect(host.wsUrl);
    viewers.push(viewer);
    viewer.send({ type: 'select', videoId });
    const error = await viewer.nextError(ErrorCode.ChannelFailed);
    expect(error.fatal).toBe(false);
    expect(error.message).toMatch(cause);
    expect(error.message).not.toContain(directory);
  }

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'onair-broken-ffmpeg-'));
    ffmpeg = join(directory, 'ffmpeg');
    installFfmpeg(`exec "${realFfmpeg}" "$@"`);
    const saved = process.env.FFMPEG_PATH;
    process.env.FFMPEG_PATH = ffmpeg;
    try {
      const input = fixturePath('videoOnly');
      host = await startHost(
        ['ok', 'fails', 'deleted', 'no-exec'].map((id) => ({ id, input })),
        { restartDelayMs: 100, logger: { error: (m) => logged.push(m), warn: (m) => logged.push(m) } },
      );
    } finally {
      if (saved === undefined) delete process.env.FFMPEG_PATH;
      else process.env.FFMPEG_PATH = saved;
    }
  });

  afterAll(async () => {
    for (const viewer of viewers) viewer.close();
    await host?.close();
    expect(mediaChildren()).toEqual([]);
    rmSync(directory, { recursive: true, force: true });
  });

  it('serves a thumbnail while the ffmpeg works, one ffmpeg run for many concurrent requests', async () => {
    const runs = join(directory, 'runs');
    installFfmpeg(`echo "$*" >> "${runs}"\nexec "${realFfmpeg}" "$@"`);
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => rawGet(host.origin, '/live/videos/ok/thumbnail.jpg')),
    );
    for (const response of responses) {
      expect(response.status).toBe(200);
      expect(response.body.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    }
    const grabs = readFileSync(runs, 'utf8')
      .split('\n')
      .filter((line) => line.includes('image2pipe'));
    expect(grabs).toHaveLength(1);
  });

  it('an ffmpeg that exits 1: a JSON 503 for the thumbnail, ONAIR_CHANNEL_FAILED for the viewer', async () => {
    installFfmpeg(`echo "${directory}/secret.mp4: Invalid data found when processing input" >&2; exit 1`);
    expectCleanRefusal(await rawGet(host.origin, '/live/videos/fails/thumbnail.jpg'));
    await expectChannelFailed('fails', 'ffmpeg exited with code 1');
    // The host's log has the whole story.
    expect(logged).toContain('thumbnail of "fails" failed');
  });

  it('a deleted ffmpeg: the process lives on, and says so', async () => {
    rmSync(ffmpeg);
    expectCleanRefusal(await rawGet(host.origin, '/live/videos/deleted/thumbnail.jpg'));
    await expectChannelFailed('deleted', 'ffmpeg could not run: the binary is missing (ENOENT)');
  });

  it('an ffmpeg made non-executable (chmod 000): the process lives on, and says so', async () => {
    installFfmpeg(`exec "${realFfmpeg}" "$@"`, 0o000);
    expectCleanRefusal(await rawGet(host.origin, '/live/videos/no-exec/thumbnail.jpg'));
    await expectChannelFailed('no-exec', 'ffmpeg could not run: the binary is not executable (EACCES)');
  });

  it('recovers once ffmpeg works again', async () => {
    installFfmpeg(`exec "${realFfmpeg}" "$@"`);
    const viewer = viewers.at(-1) as TestViewer;
    await viewer.next('stream');
    await viewer.collectVideo(2);
  });
});
