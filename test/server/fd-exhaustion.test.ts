import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { fixturePath } from '../fixtures/fixture-files';

const run = promisify(execFile);
const host = fileURLToPath(new URL('./helpers/fd-exhausted-host.ts', import.meta.url));

interface Report {
  exhausted: boolean;
  viewerError: { code: string; message: string; fatal: boolean } | null;
  httpStatusLine: string;
  httpBody: string;
  logged: string[];
}

// Issue 10: with every descriptor taken, Node hands back a child with no stdio, and reading its stderr threw
// inside the ws message handler: the process died with every viewer on it.
describe('ffmpeg spawned with no file descriptor left (prlimit --nofile=64:64)', () => {
  it('does not crash: the viewer gets ONAIR_CHANNEL_FAILED, the thumbnail a JSON 503, the log the reason', async () => {
    const { stdout } = await run(
      'prlimit',
      [
        '--nofile=64:64',
        process.execPath,
        '--conditions=@onair/source',
        '--import',
        'tsx',
        host,
        fixturePath('audioVideo'),
      ],
      { cwd: fileURLToPath(new URL('.', import.meta.url)), timeout: 60_000 },
    );
    const report = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as Report;
    expect(report.exhausted).toBe(true);
    expect(report.viewerError).toMatchObject({ code: 'ONAIR_CHANNEL_FAILED', fatal: false });
    expect(report.viewerError?.message).toContain('no file descriptor left (EMFILE)');
    expect(report.httpStatusLine).toBe('HTTP/1.1 503 Service Unavailable');
    expect(JSON.parse(report.httpBody)).toEqual({
      error: {
        code: 'ONAIR_CHANNEL_FAILED',
        message: 'no thumbnail could be made for this video now; retry',
      },
    });
    expect(report.logged).toContain(
      'channel "clip" failed, restarting in 60000 ms: ffmpeg could not run: no file descriptor left (EMFILE)',
    );
    expect(report.logged).toContain('thumbnail of "clip" failed');
  });
});
