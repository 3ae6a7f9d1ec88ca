import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliFailure } from '../cli-error';

/** Bundled into `dist/cli.js` this module's URL ends in `.js`; run with tsx from the repository, in `.ts`. */
const runningFromSource = import.meta.url.endsWith('.ts');

/**
 * The Vite build of the demo page, in this package's `dist/page/`: beside `cli.js` once bundled, and the same
 * folder seen from `src/`. The build puts it there (tsup's CLI build; in the repository also `npm start` and
 * `npm run onair` before they start, rebuilding it when its sources changed), so the CLI never reaches outside
 * its own package for it.
 */
const PAGE_DIRECTORY = fileURLToPath(
  runningFromSource ? new URL('../../../dist/page/', import.meta.url) : new URL('./page/', import.meta.url),
);

/** The folder of the demo page to serve; a `CliFailure` naming the folder when the page was not built. */
export function demoPageDirectory(): string {
  if (!existsSync(path.join(PAGE_DIRECTORY, 'index.html'))) {
    throw new CliFailure(
      runningFromSource
        ? `the demo page is not built in ${PAGE_DIRECTORY}: \`npm run onair\`, \`npm start\` and \`npm run build\` build it`
        : `the demo page is missing from ${PAGE_DIRECTORY}: this build of OnAir is incomplete`,
    );
  }
  return PAGE_DIRECTORY;
}
