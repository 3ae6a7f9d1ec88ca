import { readFileSync } from 'node:fs';
import { defineConfig, type Options } from 'tsup';
import { ensurePageBuilt } from './examples/demo/build-page';

// tsup only reads the root package.json to decide what stays external; each package's own dependencies and peers
// must stay imports, not be bundled into it.
function dependenciesOf(dir: string): string[] {
  const pkg = JSON.parse(readFileSync(`packages/${dir}/package.json`, 'utf8'));
  return [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})];
}

// One build per package: ESM + CJS with types for each, from the one public index.ts.
function packageBuild(
  dir: string,
  extra: Partial<Options> & { entry?: Record<string, string> } = {},
): Options {
  return {
    name: dir,
    outDir: `packages/${dir}/dist`,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    tsconfig: 'tsconfig.build.json',
    ...extra,
    external: [...dependenciesOf(dir), ...(extra.external ?? [])],
    entry: { index: `packages/${dir}/src/index.ts`, ...extra.entry },
  };
}

// The `onair` bin: ESM only, a build of its own so the library entry keeps its exact types and formats. It
// carries the demo page, built with Vite beside it, so a published package serves the page without the
// repository's examples folder.
const cliBuild: Options = {
  name: 'server-middleware-cli',
  outDir: 'packages/server-middleware/dist',
  entry: { cli: 'packages/server-middleware/src/cli/main.ts' },
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  // The library build cleans this folder; this one only adds to it.
  clean: false,
  tsconfig: 'tsconfig.build.json',
  external: dependenciesOf('server-middleware'),
  async onSuccess() {
    // Into `dist/page`, where the CLI looks for it (the builder's default); skipped when already fresh.
    await ensurePageBuilt({ log: (line) => console.log(line), reportSizes: true });
  },
};

export default defineConfig([
  packageBuild('protocol', { platform: 'neutral' }),
  packageBuild('server-middleware', {
    platform: 'node',
    shims: true,
    // Both builds run at once into one folder: the library's clean must leave the CLI and its page alone.
    clean: ['!cli.js', '!cli.js.map', '!page/**', '!page.partial-*/**'],
  }),
  cliBuild,
  packageBuild('react', {
    platform: 'browser',
    // Every export is a hook, a component or client state, so both entry points are Client Component modules
    // for React Server Components (Next.js App Router): a Server Component renders them, and the bundler puts them
    // in the client bundle. esbuild drops a module's directive when it bundles it, so the banner writes it back
    // at the top of each output file, ESM and CJS (`test/packaging` builds a Next.js page with it).
    banner: { js: "'use client';" },
    external: ['react/jsx-runtime'],
    // The mock transport is its own entry point so apps never ship it by accident.
    entry: { mock: 'packages/react/src/mock/index.ts' },
  }),
]);
