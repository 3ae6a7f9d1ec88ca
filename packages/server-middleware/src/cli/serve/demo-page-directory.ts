import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CliFailure } from '../cli-error';

interface DemoPageBuilder {
  ensurePageBuilt(options: { log?: (line: string) => void }): Promise<string>;
}

/** Bundled into `dist/cli.js` this module's URL ends in `.js`; run with tsx from the repository, in `.ts`. */
const runningFromSource = import.meta.url.endsWith('.ts');

/** `npm run build` puts the Vite build of the demo page here, beside `cli.js`. */
const builtPage = runningFromSource
  ? new URL('../../../dist/page/', import.meta.url)
  : new URL('./page/', import.meta.url);

/** Only in the monorepo: the function `npm start` builds (and rebuilds, when stale) the page with. */
const pageBuilder = new URL('../../../../../examples/demo/build-page.ts', import.meta.url);

/**
 * The folder of the demo page to serve. From source in the monorepo the page is built on the fly (and kept
 * fresh) by the demo's own builder; a published package serves the copy `npm run build` made.
 */
export async function demoPageDirectory(log: (line: string) => void): Promise<string> {
  if (runningFromSource && existsSync(fileURLToPath(pageBuilder))) {
    // A path the bundler cannot follow: the published CLI must not carry Vite or the examples folder.
    const { ensurePageBuilt } = (await import(pageBuilder.href)) as DemoPageBuilder;
    return ensurePageBuilt({ log });
  }
  const directory = fileURLToPath(builtPage);
  if (!existsSync(`${directory}index.html`)) {
    throw new CliFailure(`the demo page is missing from ${directory}: this build of OnAir is incomplete`);
  }
  return directory;
}
