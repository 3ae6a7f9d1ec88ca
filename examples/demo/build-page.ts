import { existsSync, readdirSync, statSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  type CompressedAsset,
  precompressPage,
} from '../../packages/server-middleware/src/cli/serve/page-compression';

const here = path.dirname(fileURLToPath(import.meta.url));
const repositoryRoot = path.resolve(here, '../..');
const pageSource = path.join(here, 'web');

/**
 * The page ships in @onair/server-middleware, beside its `onair` bin: built there, it is the folder `onair serve`
 * serves (`cli/serve/demo-page-directory.ts`) from source and from the build alike.
 */
const DEFAULT_PAGE_DIRECTORY = path.join(repositoryRoot, 'packages/server-middleware/dist/page');

/** Everything the built page is made from: when any of it is newer than the build, the build is stale. */
const PAGE_INPUTS = [
  pageSource,
  fileURLToPath(import.meta.url),
  path.join(repositoryRoot, 'packages/react/src'),
  path.join(repositoryRoot, 'packages/protocol/src'),
  path.join(repositoryRoot, 'packages/server-middleware/src/cli/serve/page-compression.ts'),
];

function newestModification(entry: string): number {
  const stats = statSync(entry, { throwIfNoEntry: false });
  if (!stats) return 0;
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const child of readdirSync(entry))
    newest = Math.max(newest, newestModification(path.join(entry, child)));
  return newest;
}

function isStale(outDir: string): boolean {
  const built = path.join(outDir, 'index.html');
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  return PAGE_INPUTS.some((input) => newestModification(input) > builtAt);
}

/**
 * Builds the demo page with Vite when it is missing or older than its sources; returns the folder to serve.
 * A production build served statically (no dev server) keeps the demo and its browser test deterministic.
 */
export async function ensurePageBuilt(
  options: {
    outDir?: string;
    /** One line when a build starts; default `console.log`. */
    log?: (line: string) => void;
    /** Also a line per script with its size as sent (for `npm run onair` and the package build, not `npm start`). */
    reportSizes?: boolean;
  } = {},
): Promise<string> {
  const outDir = options.outDir ?? DEFAULT_PAGE_DIRECTORY;
  const log = options.log ?? console.log;
  if (!isStale(outDir)) return outDir;
  log('Building the demo page with Vite…');
  // Vite is only loaded when a build is needed: a warm start does not pay for it.
  const [{ build }, { default: react }] = await Promise.all([import('vite'), import('@vitejs/plugin-react')]);
  // Built beside the target and swapped in at the end, so a server already serving the old page never sees a
  // half-written folder.
  const partial = `${outDir}.partial-${process.pid}`;
  let compressed: CompressedAsset[] = [];
  try {
    await build({
      configFile: false,
      root: pageSource,
      base: './',
      logLevel: 'warn',
      plugins: [react()],
      // The page bundles @onair/react and @onair/protocol from their sources, like the tests do.
      resolve: { conditions: ['@onair/source', 'module', 'browser', 'development|production'] },
      build: {
        outDir: partial,
        emptyOutDir: true,
        sourcemap: true,
        // The page's scripts go out precompressed (brotli, about a quarter of their size) with an immutable cache,
        // and hls.js is already its own chunk loaded only for HLS: Vite's 500 kB warning has nothing left to ask
        // of a user of the demo. A script past 1 MB would still be worth a look, so the warning stays for that.
        chunkSizeWarningLimit: 1024,
        // Rolldown's "[PLUGIN_TIMINGS]" report is about Vite's own plugins: nothing a user of the demo can act on.
        rolldownOptions: { checks: { bundlerTimings: false } },
      },
    });
    // The `.br` and `.gz` files `onair serve` sends to browsers that accept them, made once here.
    compressed = await precompressPage(partial);
    await rm(outDir, { recursive: true, force: true });
    await rename(partial, outDir).catch((error: NodeJS.ErrnoException) => {
      // Another process (the e2e test beside `npm start`) swapped its identical build in first: keep it.
      if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
    });
  } finally {
    await rm(partial, { recursive: true, force: true });
  }
  if (options.reportSizes) for (const line of scriptSizes(compressed)) log(line);
  return outDir;
}

const kilobytes = (bytes: number | undefined) =>
  bytes === undefined ? '–' : `${(bytes / 1024).toFixed(0)} KB`;

/** One line per script of the page: its size as built, and as sent with brotli and with gzip. */
function scriptSizes(assets: readonly CompressedAsset[]): string[] {
  return assets
    .filter((asset) => asset.file.endsWith('.js'))
    .sort((a, b) => b.bytes - a.bytes)
    .map(
      (asset) =>
        `  ${asset.file}: ${kilobytes(asset.bytes)}, ${kilobytes(asset.encoded.br)} brotli, ${kilobytes(asset.encoded.gzip)} gzip`,
    );
}

// Run as a script (`npm run onair` does, before the CLI) it builds the page when stale, saying so on stderr: the
// CLI's stdout is data (`watch --json`).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  ensurePageBuilt({ log: (line) => console.error(line), reportSizes: true }).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
