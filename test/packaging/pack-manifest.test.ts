import { describe, expect, it } from 'vitest';
import { tarballProblems } from '../../scripts/check-packages.mjs';
import { publishedManifest } from '../../scripts/pack-manifest.mjs';

const workspaceManifest = {
  name: '@onair/react',
  repository: { type: 'git', url: 'git+https://example.invalid/onair.git' },
  exports: {
    '.': {
      '@onair/source': './src/index.ts',
      import: { types: './dist/index.d.ts', default: './dist/index.js' },
    },
    './styles.css': './src/styles.css',
  },
  scripts: { prepack: 'node ../../scripts/pack-manifest.mjs strip', postpack: 'x', lint: 'biome' },
};

describe('the packed manifest', () => {
  it('loses the private source condition and the pack scripts, and keeps everything else', () => {
    expect(publishedManifest(workspaceManifest)).toEqual({
      name: '@onair/react',
      repository: workspaceManifest.repository,
      exports: {
        '.': { import: { types: './dist/index.d.ts', default: './dist/index.js' } },
        './styles.css': './src/styles.css',
      },
      scripts: { lint: 'biome' },
    });
  });

  it('is what check-packages accepts, and the workspace manifest is not', () => {
    const files = ['LICENSE', 'README.md', 'package.json', 'dist/index.js', 'dist/index.cjs', 'dist/mock.js'];
    const all = [...files, 'dist/mock.cjs', 'src/styles.css'];
    expect(tarballProblems('react', all, publishedManifest(workspaceManifest))).toEqual([]);
    expect(tarballProblems('react', all, workspaceManifest)).toEqual([
      'the private "@onair/source" export condition in package.json',
      'the pack scripts in package.json',
    ]);
  });

  it('refuses tests, source maps, sources and a tarball without its license or readme', () => {
    const files = [
      'package.json',
      'dist/index.js',
      'dist/index.js.map',
      'src/index.ts',
      'src/a.test.ts',
      'test/x.js',
    ];
    expect(tarballProblems('protocol', files, publishedManifest(workspaceManifest))).toEqual([
      'no LICENSE',
      'no README.md',
      'a source map: dist/index.js.map',
      'source: src/index.ts',
      'a test: src/a.test.ts',
      'a test folder: test/x.js',
    ]);
  });
});
