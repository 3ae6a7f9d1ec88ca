import { accessSync, constants } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

function findOnPath(name: string): string | undefined {
  for (const directory of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!directory) continue;
    const candidate = path.join(directory, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this directory; keep looking.
    }
  }
  return undefined;
}

/**
 * The ffmpeg the samples are made with, found in the same order the server middleware uses (FFMPEG_PATH, a
 * system ffmpeg, the npm static build), so a machine with only `npm install` done still works.
 */
export function resolveFfmpegPath(): string {
  const fromEnv = process.env.FFMPEG_PATH;
  if (fromEnv) return fromEnv;
  const system = findOnPath('ffmpeg');
  if (system) return system;
  try {
    return (require('@ffmpeg-installer/ffmpeg') as { path: string }).path;
  } catch (cause) {
    throw new Error(
      'No ffmpeg found: set FFMPEG_PATH, install ffmpeg on the PATH, or run `npm install` ' +
        '(it installs @ffmpeg-installer/ffmpeg).',
      { cause },
    );
  }
}
