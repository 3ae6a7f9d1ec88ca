import { defineConfig, type Options } from 'tsup';

// One build per package: ESM + CJS with types for each, from the one public index.ts.
function packageBuild(dir: string, extra: Partial<Options> = {}): Options {
  return {
    name: dir,
    entry: { index: `packages/${dir}/src/index.ts` },
    outDir: `packages/${dir}/dist`,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    tsconfig: 'tsconfig.base.json',
    ...extra,
  };
}

export default defineConfig([
  packageBuild('protocol', { platform: 'neutral' }),
  packageBuild('server-middleware', { platform: 'node' }),
  packageBuild('react', { platform: 'browser', external: ['react', 'react-dom', 'hls.js'] }),
]);
