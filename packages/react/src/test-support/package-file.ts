import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A file of @onair/react as text, by its path from the package's folder ("README.md", "src/…"): what the tests that
 * hold the docs against the code read.
 */
export function readPackageFile(pathInPackage: string): string {
  return readFileSync(path.join(import.meta.dirname, '../..', pathInPackage), 'utf8');
}
