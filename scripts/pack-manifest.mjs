// The package.json a tarball carries: the workspace's, without what only the repository uses. Run by each
// package's `prepack` (which rewrites package.json just before npm packs it, keeping the original beside it) and
// `postpack` (which puts the original back). npm 11 has no manifest override at pack time: `publishConfig` is
// read for registry settings only (pnpm, not npm, would honour `publishConfig.exports`).
//
//   node ../../scripts/pack-manifest.mjs strip     (prepack, in the package's folder)
//   node ../../scripts/pack-manifest.mjs restore   (postpack)
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** The export condition that points the workspace's tests, stories and examples at `src`. */
export const SOURCE_CONDITION = '@onair/source';
const BACKUP = '.package.json.workspace';

function withoutCondition(value) {
  if (Array.isArray(value)) return value.map(withoutCondition);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== SOURCE_CONDITION)
      .map(([key, entry]) => [key, withoutCondition(entry)]),
  );
}

/** The published manifest: no `@onair/source` condition, and no pack scripts (they name repository files). */
export function publishedManifest(manifest) {
  const { scripts, exports, ...rest } = manifest;
  const { prepack: _prepack, postpack: _postpack, ...otherScripts } = scripts ?? {};
  return {
    ...rest,
    ...(exports === undefined ? {} : { exports: withoutCondition(exports) }),
    ...(Object.keys(otherScripts).length > 0 ? { scripts: otherScripts } : {}),
  };
}

function strip() {
  // A pack that died before its postpack left the original aside: keep it, never overwrite it with a stripped one.
  if (!existsSync(BACKUP)) renameSync('package.json', BACKUP);
  const manifest = JSON.parse(readFileSync(BACKUP, 'utf8'));
  writeFileSync('package.json', `${JSON.stringify(publishedManifest(manifest), null, 2)}\n`);
}

function restore() {
  if (existsSync(BACKUP)) renameSync(BACKUP, 'package.json');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const command = process.argv[2];
  if (command === 'strip') strip();
  else if (command === 'restore') restore();
  else {
    console.error('usage: pack-manifest.mjs strip|restore');
    process.exit(2);
  }
}
