import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Builds a one-page app (its `index.html` and `main.tsx`) with Vite from the packages' sources, in
 * `test/.fixtures/<name>` (inside the repository, gitignored, so Vite resolves @onair/react and react from its
 * node_modules); returns the folder of the built page. Every e2e page is made this way.
 */
export async function buildVitePage(name: string, html: string, script: string): Promise<string> {
  const pageDirectory = path.join(repositoryRoot, 'test/.fixtures', name);
  await mkdir(pageDirectory, { recursive: true });
  await writeFile(path.join(pageDirectory, 'index.html'), html);
  await writeFile(path.join(pageDirectory, 'main.tsx'), script);
  const [{ build }, { default: react }] = await Promise.all([import('vite'), import('@vitejs/plugin-react')]);
  const outDir = path.join(pageDirectory, 'dist');
  await build({
    configFile: false,
    root: pageDirectory,
    base: './',
    logLevel: 'warn',
    plugins: [react()],
    resolve: { conditions: ['@onair/source', 'module', 'browser', 'development|production'] },
    build: { outDir, emptyOutDir: true, chunkSizeWarningLimit: 2_000 },
  });
  return outDir;
}
