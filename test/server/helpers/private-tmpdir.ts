import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

/**
 * Points `os.tmpdir()` (and so the packager's `onair-hls-<id>-*` folders) at a folder of this test file's own
 * while it runs. Another project's file may package the same fixture at the same time (the Express 4 host
 * tests run beside these), and a count of folders in the shared /tmp would then count theirs too.
 */
export function withPrivateTmpdir(prefix: string): void {
  const saved = process.env.TMPDIR;
  let folder = '';
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), prefix));
    process.env.TMPDIR = folder;
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
    rmSync(folder, { recursive: true, force: true });
  });
}
