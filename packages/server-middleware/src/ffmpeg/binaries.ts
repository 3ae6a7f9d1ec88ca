import { accessSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';

/** Absolute paths of the two binaries every ffmpeg invocation uses, fixed when `liveStream()` is called. */
export interface FfmpegTools {
  ffmpeg: string;
  ffprobe: string;
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

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function findOnPath(tool: Tool): string | null {
  const names = process.platform === 'win32' ? [`${tool}.exe`, tool] : [tool];
  for (const directory of (process.env.PATH ?? '').split(delimiter)) {
    if (directory === '') continue;
    for (const name of names) {
      const candidate = join(directory, name);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return null;
}

function fromInstaller(tool: Tool): string | null {
  try {
    const installed = requireOptional(INSTALLER_PACKAGE[tool]) as { path?: unknown };
    return typeof installed.path === 'string' && isExecutableFile(installed.path) ? installed.path : null;
  } catch {
    return null;
  }
}

function resolveTool(tool: Tool): string {
  const fromEnv = process.env[ENV_VARIABLE[tool]];
  if (fromEnv) {
    if (!isExecutableFile(fromEnv)) {
      throw new Error(`liveStream: ${ENV_VARIABLE[tool]} is "${fromEnv}", which is not an executable file`);
    }
    return fromEnv;
  }
  const found = findOnPath(tool) ?? fromInstaller(tool);
  if (found === null) {
    throw new Error(
      `liveStream: ${tool} not found: set ${ENV_VARIABLE[tool]}, put ${tool} on the PATH, or install ${INSTALLER_PACKAGE[tool]}`,
    );
  }
  return found;
}

/** Order: `FFMPEG_PATH`/`FFPROBE_PATH`, then the system binary on the PATH, then the npm installer's binary. */
export function resolveFfmpegTools(): FfmpegTools {
  return { ffmpeg: resolveTool('ffmpeg'), ffprobe: resolveTool('ffprobe') };
}
