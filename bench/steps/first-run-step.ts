import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { startNpmStart, unexpectedLines } from '../../examples/demo/npm-start-child';

export interface FirstRunResult {
  /** `npm start` with no samples and no page build, to its printed URL. */
  coldMs: number;
  /** Again, everything in place. */
  warmMs: number;
  /** Lines of the cold run beyond the expected ones (tool internals); should be none. */
  unexpectedLines: string[];
}

const GENERATED = [
  fileURLToPath(new URL('../../examples/demo/.generated/samples/', import.meta.url)),
  fileURLToPath(new URL('../../packages/server-middleware/dist/page/', import.meta.url)),
];

async function timeToUrl(): Promise<{ ms: number; lines: string[] }> {
  const run = startNpmStart();
  try {
    const { afterMs } = await run.served;
    return { ms: afterMs, lines: run.lines };
  } finally {
    await run.stop();
  }
}

/**
 * The first `npm start` as on a fresh clone: the generated samples and the page build removed first (they are
 * made again), then a second, warm start. It replaces those files, so it runs alone, before anything else.
 */
export async function runFirstRunStep(): Promise<FirstRunResult> {
  for (const directory of GENERATED) await rm(directory, { recursive: true, force: true });
  const cold = await timeToUrl();
  const warm = await timeToUrl();
  return { coldMs: cold.ms, warmMs: warm.ms, unexpectedLines: unexpectedLines(cold.lines) };
}
