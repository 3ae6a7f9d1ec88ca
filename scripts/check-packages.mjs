// Checks each built package the way a consumer sees it: publint (package.json exports vs files),
// @arethetypeswrong (types resolve for ESM and CJS under node16 and bundler resolution), and the tarball npm
// packs: what it holds, and the manifest it carries.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SOURCE_CONDITION } from './pack-manifest.mjs';

// The stylesheet is an export for bundlers, not a module with types: attw is told to leave it out.
const packages = { protocol: [], 'server-middleware': [], react: ['--exclude-entrypoints', './styles.css'] };
// Files a tarball must have, and the one file of `src` a package may ship (the React theme, exported as is).
const REQUIRED = ['LICENSE', 'README.md', 'package.json'];
const ALLOWED_SOURCE = new Set(['src/styles.css']);
// Next.js App Router reads a client module by its first statement; these outputs must start with it.
const CLIENT_ENTRIES = { react: ['dist/index.js', 'dist/index.cjs', 'dist/mock.js', 'dist/mock.cjs'] };

/** What is wrong with a packed tarball: its file list (npm pack --json) and its package.json. */
export function tarballProblems(name, paths, manifest) {
  const problems = [];
  for (const file of REQUIRED) if (!paths.includes(file)) problems.push(`no ${file}`);
  if (!paths.some((path) => path.startsWith('dist/'))) problems.push('no dist/');
  for (const path of paths) {
    if (/\.test\.|\.spec\./.test(path)) problems.push(`a test: ${path}`);
    else if (path.endsWith('.map')) problems.push(`a source map: ${path}`);
    else if (/(^|\/)(test|tests|__tests__|__mocks__)\//.test(path)) problems.push(`a test folder: ${path}`);
    else if (path.startsWith('src/') && !ALLOWED_SOURCE.has(path)) problems.push(`source: ${path}`);
  }
  if (JSON.stringify(manifest.exports ?? {}).includes(SOURCE_CONDITION)) {
    problems.push(`the private "${SOURCE_CONDITION}" export condition in package.json`);
  }
  if (manifest.scripts?.prepack || manifest.scripts?.postpack)
    problems.push('the pack scripts in package.json');
  if (!manifest.repository?.url) problems.push('no repository in package.json');
  for (const entry of CLIENT_ENTRIES[name] ?? []) {
    if (!paths.includes(entry)) problems.push(`no ${entry}`);
  }
  return problems;
}

function checkTarball(name, dir) {
  const destination = mkdtempSync(join(tmpdir(), 'onair-pack-'));
  try {
    const [packed] = JSON.parse(
      execFileSync('npm', ['pack', '--json', '--pack-destination', destination], {
        cwd: dir,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    const tarball = join(destination, packed.filename);
    const read = (path) =>
      execFileSync('tar', ['-xzOf', tarball, `package/${path}`], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const problems = tarballProblems(
      name,
      packed.files.map((file) => file.path),
      JSON.parse(read('package.json')),
    );
    for (const entry of CLIENT_ENTRIES[name] ?? []) {
      if (!/^['"]use client['"];?\s*$/m.test(read(entry).split('\n', 1)[0])) {
        problems.push(`${entry} does not start with 'use client'`);
      }
    }
    return { problems, size: packed.size };
  } finally {
    rmSync(destination, { recursive: true, force: true });
  }
}

function main() {
  let failed = false;
  for (const [name, attwExtra] of Object.entries(packages)) {
    const dir = `packages/${name}`;
    for (const [tool, args] of [
      ['publint', ['publint', dir, '--strict']],
      ['attw', ['attw', '--pack', dir, '--profile', 'node16', '--format', 'table-flipped', ...attwExtra]],
    ]) {
      try {
        execFileSync('npx', ['--no-install', ...args], { stdio: 'pipe', encoding: 'utf8' });
        console.log(`ok   ${tool} ${dir}`);
      } catch (error) {
        failed = true;
        console.error(`FAIL ${tool} ${dir}\n${error.stdout ?? ''}${error.stderr ?? ''}`);
      }
    }
    const { problems, size } = checkTarball(name, dir);
    if (problems.length === 0) console.log(`ok   tarball ${dir} (${Math.round(size / 1024)} KB)`);
    else {
      failed = true;
      console.error(`FAIL tarball ${dir}\n  ${problems.join('\n  ')}`);
    }
  }
  process.exit(failed ? 1 : 0);
}

if (process.argv[1]?.endsWith('check-packages.mjs')) main();
