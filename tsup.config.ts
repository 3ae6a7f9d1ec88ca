import { readFileSync } from 'node:fs';
import { defineConfig, type Options } from 'tsup';

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

export default defineConfig([
  packageBuild('protocol', { platform: 'neutral' }),
  packageBuild('server-middleware', { platform: 'node', shims: true }),
  packageBuild('react', {
    platform: 'browser',
    external: ['react/jsx-runtime'],
    // The mock transport is its own entry point so apps never ship it by accident.
    entry: { mock: 'packages/react/src/mock/index.ts' },
  }),
]);
