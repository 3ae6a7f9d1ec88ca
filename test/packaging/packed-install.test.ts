import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath } from '../fixtures/fixture-files';

// The packages as a user gets them: packed by npm (the real prepack strips the workspace-only parts), installed
// with --ignore-scripts into a folder outside the workspace together with Next.js, then built and type-checked
// there. Versions are pinned: Next 16 runs on Node 20.9+.
const VERSIONS = {
  next: '16.4.6',
  react: '19.3.1',
  'react-dom': '19.3.1',
  express: '5.3.0',
  '@types/node': '20.19.43',
  '@types/express': '5.0.6',
  '@types/react': '19.3.0',
};
const PACKAGES = ['protocol', 'server-middleware', 'react'] as const;
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CONSUMER = fileURLToPath(new URL('./consumer/', import.meta.url));
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');

const run = promisify(execFile);
async function sh(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  try {
    return await run(command, args, {
      cwd,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...env },
      maxBuffer: 64 << 20,
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${stdout ?? ''}\n${stderr ?? ''}`);
  }
}

/**
 * Packs each package from a copy of its folder (with the pack script beside it, where `prepack` finds it), so
 * the workspace's package.json is never rewritten under tests running alongside.
 */
async function packAll(into: string): Promise<Record<(typeof PACKAGES)[number], string>> {
  const staging = join(into, 'staging');
  mkdirSync(join(staging, 'scripts'), { recursive: true });
  cpSync(join(ROOT, 'scripts/pack-manifest.mjs'), join(staging, 'scripts/pack-manifest.mjs'));
  const tarballs = join(into, 'tarballs');
  mkdirSync(tarballs);
  const packed = {} as Record<(typeof PACKAGES)[number], string>;
  for (const name of PACKAGES) {
    const from = join(ROOT, 'packages', name);
    if (!existsSync(join(from, 'dist/index.js'))) throw new Error(`${from} is not built: run npm run build`);
    const copy = join(staging, 'packages', name);
    cpSync(from, copy, { recursive: true, filter: (path) => !path.includes('node_modules') });
    const { stdout } = await sh('npm', ['pack', '--json', '--pack-destination', tarballs], copy);
    packed[name] = join(tarballs, (JSON.parse(stdout) as { filename: string }[])[0]!.filename);
  }
  return packed;
}

describe('the packed packages, installed with --ignore-scripts outside the workspace', () => {
  let folder: string;
  let app: string;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'onair-packaging-'));
    const tarballs = await packAll(folder);
    app = join(folder, 'app');
    mkdirSync(join(app, 'app'), { recursive: true });
    const file = (path: string) => `file:${path}`;
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({
        name: 'onair-consumer',
        private: true,
        type: 'module',
        dependencies: {
          '@onair/protocol': file(tarballs.protocol),
          '@onair/server-middleware': file(tarballs['server-middleware']),
          '@onair/react': file(tarballs.react),
          ...VERSIONS,
        },
      }),
    );
    await sh('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], app);
    cpSync(join(CONSUMER, 'layout.jsx'), join(app, 'app/layout.jsx'));
    cpSync(join(CONSUMER, 'page.jsx'), join(app, 'app/page.jsx'));
    mkdirSync(join(app, 'typecheck'));
    for (const name of ['server-consumer.ts', 'server-consumer.cts', 'react-consumer.tsx', 'serve.mjs']) {
      cpSync(join(CONSUMER, name), join(app, 'typecheck', name));
    }
  }, 600_000);

  afterAll(() => {
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it('installs without ioredis (an optional peer), so the typings below are checked without it', () => {
    expect(existsSync(join(app, 'node_modules/@onair/server-middleware/dist/index.d.ts'))).toBe(true);
    expect(existsSync(join(app, 'node_modules/ioredis'))).toBe(false);
  });

  it('builds a Next.js App Router page whose Server Component renders the components', async () => {
    const { stdout } = await sh(join(app, 'node_modules/.bin/next'), ['build'], app);
    expect(stdout).toMatch(/Compiled successfully|Generating static pages/);
    // Prerendered on the server: the client components' server render is in the page's HTML.
    const html = readFileSync(join(app, '.next/server/app/index.html'), 'utf8');
    expect(html).toContain('Rendered by a Server Component');
    expect(html).toMatch(/data-state="/);
  }, 600_000);

  const tsconfig = (name: string, compilerOptions: Record<string, unknown>, files: string[]) => {
    writeFileSync(
      join(app, 'typecheck', name),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          skipLibCheck: false,
          noEmit: true,
          jsx: 'react-jsx',
          types: ['node'],
          ...compilerOptions,
        },
        files,
      }),
    );
    return join(app, 'typecheck', name);
  };

  it.each([
    ['node16', { module: 'node16', moduleResolution: 'node16' }],
    ['nodenext', { module: 'nodenext', moduleResolution: 'nodenext' }],
    ['bundler', { module: 'esnext', moduleResolution: 'bundler' }],
  ])(
    'type-checks a consumer under %s resolution with skipLibCheck false',
    async (name, options) => {
      const files = ['server-consumer.ts', 'react-consumer.tsx'];
      if (name !== 'bundler') files.push('server-consumer.cts');
      const project = tsconfig(`tsconfig.${name}.json`, options, files);
      await sh(process.execPath, [TSC, '-p', project], app);
    },
    300_000,
  );

  it('starts a server from the installed package: catalog, thumbnail and the ffmpeg it reports', async () => {
    // Installed without the postinstall chmod: the server makes the npm ffprobe/ffmpeg executable itself.
    const { stdout } = await sh(
      process.execPath,
      [join(app, 'typecheck/serve.mjs'), fixturePath('videoOnly')],
      app,
      {
        PATH: '/nonexistent',
        FFMPEG_PATH: '',
        FFPROBE_PATH: '',
      },
    );
    const result = JSON.parse(stdout) as {
      catalog: { id: string }[];
      thumbnail: number;
      thumbnailError: string | null;
      ffmpeg: { path: string; from: string; version: { name: string } | null };
      lines: string[];
    };
    expect(result.catalog).toHaveLength(1);
    expect(result.thumbnail, `${result.thumbnailError}\n${result.lines.join('\n')}`).toBe(200);
    expect(result.ffmpeg.path.startsWith(join(app, 'node_modules'))).toBe(true);
    expect(result.ffmpeg.version?.name).toBeTruthy();
    expect(result.lines).toContainEqual(expect.stringMatching(/^info using ffmpeg \S+/));
  }, 300_000);
});
