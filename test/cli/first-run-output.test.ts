import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NPM_START_LINES, startNpmStart, unexpectedLines } from '../../examples/demo/npm-start-child';

const repositoryRoot = new URL('../../', import.meta.url);
const temporary: string[] = [];

afterAll(async () => {
  for (const directory of temporary.splice(0)) await rm(directory, { recursive: true, force: true });
});

/** Node running `script` (TypeScript, ESM) from the sources, as `npm start` runs the demo; its output as lines. */
function runScript(script: string): Promise<{ code: number | null; lines: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--conditions=@onair/source', '--import', 'tsx', '--input-type=module', '-e', script],
      { cwd: repositoryRoot, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, lines: output.replace(/\n$/, '').split('\n') }));
  });
}

describe("npm start's output (issue 12)", () => {
  it('the first-run steps (three samples, the Vite build) print one line each and nothing of the tools', async () => {
    const directory = await mkdtemp(path.join(os.tmpdir(), 'onair-first-run-'));
    temporary.push(directory);
    // What `npm start` runs before serving, into a fresh folder, so the steps really run (not skipped as done).
    const script = `
      import { ensureSampleVideos } from './examples/demo/samples.ts';
      import { ensurePageBuilt } from './examples/demo/build-page.ts';
      const log = (line) => console.error(line);
      await ensureSampleVideos({ directory: ${JSON.stringify(path.join(directory, 'samples'))}, log });
      await ensurePageBuilt({ outDir: ${JSON.stringify(path.join(directory, 'page'))}, log });
    `;
    const { code, lines } = await runScript(script);
    expect(code).toBe(0);
    expect(lines).toEqual([
      'Generating sample 1/3: Test card (440 Hz)…',
      'Generating sample 2/3: Colour bars (550 Hz)…',
      'Generating sample 3/3: Test pattern (660 Hz)…',
      'Building the demo page with Vite…',
    ]);
    expect(unexpectedLines(lines)).toEqual([]);
  }, 600_000);

  it('npm start prints its URL block and, stopped, one line; nothing else', async () => {
    const run = startNpmStart();
    try {
      const { url } = await run.served;
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      // The address block follows the URL line.
      await expect
        .poll(() => run.lines.some((line) => line.startsWith('  ffmpeg:')), { timeout: 10_000 })
        .toBe(true);
    } finally {
      await run.stop();
    }
    expect(unexpectedLines(run.lines)).toEqual([]);
    expect(run.lines.filter((line) => NPM_START_LINES[4]?.test(line))).toHaveLength(1);
  }, 600_000);
});
