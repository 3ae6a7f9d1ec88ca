import { accessSync, chmodSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join, sep } from 'node:path';

/** Absolute paths of the two binaries every ffmpeg invocation uses, fixed when `liveStream()` is called. */
export interface FfmpegTools {
  ffmpeg: string;
  ffprobe: string;
}

/** Where `resolveFfmpegTools` says what it did about a binary (it is `liveStream()`'s logger). */
export interface BinariesLogger {
  warn(message: string, details?: Record<string, unknown>): void;
}

type Tool = keyof FfmpegTools;

const ENV_VARIABLE: Record<Tool, string> = { ffmpeg: 'FFMPEG_PATH', ffprobe: 'FFPROBE_PATH' };
const INSTALLER_PACKAGE: Record<Tool, string> = {
  ffmpeg: '@ffmpeg-installer/ffmpeg',
  ffprobe: '@ffprobe-installer/ffprobe',
};

// The installers throw at require time on platforms they have no binary for, so they are required lazily and
// only when neither the environment nor the PATH has the tool. (tsup's `shims` gives the CJS build an
// `import.meta.url`.)
const requireOptional = createRequire(import.meta.url);

/** What is at a path: a binary we can run, a file we cannot (EACCES), or nothing usable. */
type Inspection = 'executable' | 'not-executable' | 'missing';

function inspect(path: string): Inspection {
  try {
    if (!statSync(path).isFile()) return 'missing';
  } catch {
    return 'missing';
  }
  try {
    accessSync(path, constants.X_OK);
    return 'executable';
  } catch {
    return 'not-executable';
  }
}

function notExecutable(tool: Tool, path: string, how: string): Error {
  return new Error(
    `liveStream: ${tool} found at ${path} (${how}), not executable: EACCES. ` +
      `Fix it with \`chmod +x ${path}\`, or set ${ENV_VARIABLE[tool]} to an executable ${tool}`,
  );
}

/** Where a tool can come from, in order; `installer` is the npm package's binary (null: not installed). */
export interface ToolCandidates {
  env: string | undefined;
  pathDirectories: readonly string[];
  installer: () => string | null;
}

function installerPath(tool: Tool): string | null {
  try {
    const installed = requireOptional(INSTALLER_PACKAGE[tool]) as { path?: unknown };
    return typeof installed.path === 'string' ? installed.path : null;
  } catch {
    return null;
  }
}

/**
 * The npm installer's binary, made executable when it is not: it loses its mode when installed with
 * `--ignore-scripts`, by pnpm or Bun (no postinstall `chmod`). Only a file inside `node_modules` is touched (it
 * belongs to this install, not to the system), and only when this process may change it; false when it still
 * cannot run.
 */
function makeExecutable(tool: Tool, path: string, logger: BinariesLogger | undefined): boolean {
  if (!path.split(sep).includes('node_modules')) return false;
  try {
    chmodSync(path, 0o755);
  } catch {
    return false; // Not ours to change (installed by root, run as another user): the error says how to fix it.
  }
  if (inspect(path) !== 'executable') return false;
  logger?.warn(
    `${tool} at ${path} was not executable (installed without its postinstall chmod); made it 0755`,
    {
      path,
    },
  );
  return true;
}

/** Finds one tool; exported for tests (which hand in their own candidates). */
export function findTool(tool: Tool, candidates: ToolCandidates, logger?: BinariesLogger): string {
  const variable = ENV_VARIABLE[tool];
  if (candidates.env) {
    const found = inspect(candidates.env);
    if (found === 'not-executable') throw notExecutable(tool, candidates.env, variable);
    if (found === 'missing') {
      throw new Error(`liveStream: ${variable} is "${candidates.env}", which is not a file (ENOENT)`);
    }
    return candidates.env;
  }
  let blocked: Error | null = null;
  const names = process.platform === 'win32' ? [`${tool}.exe`, tool] : [tool];
  for (const directory of candidates.pathDirectories) {
    if (directory === '') continue;
    for (const name of names) {
      const path = join(directory, name);
      const found = inspect(path);
      // Like a shell, skip a file on the PATH that cannot run, but say so if nothing else is found.
      if (found === 'executable') return path;
      if (found === 'not-executable') blocked ??= notExecutable(tool, path, 'on the PATH');
    }
  }
  const installed = candidates.installer();
  if (installed !== null) {
    const found = inspect(installed);
    if (found === 'executable') return installed;
    if (found === 'not-executable') {
      if (makeExecutable(tool, installed, logger)) return installed;
      blocked ??= notExecutable(tool, installed, INSTALLER_PACKAGE[tool]);
    }
  }
  throw (
    blocked ??
    new Error(
      `liveStream: ${tool} not found: set ${variable}, put ${tool} on the PATH, or install ${INSTALLER_PACKAGE[tool]}`,
    )
  );
}

function systemCandidates(tool: Tool): ToolCandidates {
  return {
    env: process.env[ENV_VARIABLE[tool]],
    pathDirectories: (process.env.PATH ?? '').split(delimiter),
    installer: () => installerPath(tool),
  };
}

/**
 * Order: `FFMPEG_PATH`/`FFPROBE_PATH`, then the system binary on the PATH, then the npm installer's binary. A
 * binary found but not executable is an error that says so and how to fix it, except the installer's own, which
 * is made executable when this process may (and `logger` is told).
 */
export function resolveFfmpegTools(logger?: BinariesLogger): FfmpegTools {
  return {
    ffmpeg: findTool('ffmpeg', systemCandidates('ffmpeg'), logger),
    ffprobe: findTool('ffprobe', systemCandidates('ffprobe'), logger),
  };
}
