import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { findTool, resolveFfmpegTools } from './binaries';

describe('resolveFfmpegTools', () => {
  const saved = {
    PATH: process.env.PATH,
    FFMPEG_PATH: process.env.FFMPEG_PATH,
    FFPROBE_PATH: process.env.FFPROBE_PATH,
  };
  let directory: string;

  function fakeBinary(name: string): string {
    const path = join(directory, name);
    writeFileSync(path, '#!/bin/sh\nexit 0\n');
    chmodSync(path, 0o755);
    return path;
  }

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'onair-binaries-'));
    delete process.env.FFMPEG_PATH;
    delete process.env.FFPROBE_PATH;
    process.env.PATH = '/nonexistent';
  });

  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  it('falls back to the npm installer binaries when neither the environment nor the PATH has them', () => {
    const tools = resolveFfmpegTools();
    expect(tools.ffmpeg).toMatch(/@ffmpeg-installer/);
    expect(tools.ffprobe).toMatch(/@ffprobe-installer/);
  });

  it('prefers a system binary on the PATH to the installer', () => {
    const ffmpeg = fakeBinary('ffmpeg');
    process.env.PATH = `/nonexistent:${directory}`;
    expect(resolveFfmpegTools()).toMatchObject({ ffmpeg });
  });

  it('prefers FFMPEG_PATH and FFPROBE_PATH to everything', () => {
    fakeBinary('ffmpeg');
    process.env.PATH = directory;
    const ffmpeg = fakeBinary('my-ffmpeg');
    const ffprobe = fakeBinary('my-ffprobe');
    process.env.FFMPEG_PATH = ffmpeg;
    process.env.FFPROBE_PATH = ffprobe;
    expect(resolveFfmpegTools()).toEqual({ ffmpeg, ffprobe });
  });

  it('fails loudly when FFMPEG_PATH does not point at a file', () => {
    process.env.FFMPEG_PATH = join(directory, 'missing');
    expect(() => resolveFfmpegTools()).toThrow(/FFMPEG_PATH is ".*missing", which is not a file \(ENOENT\)/);
  });

  it('says a FFMPEG_PATH that is there but not executable is exactly that, and how to fix it', () => {
    const ffmpeg = fakeBinary('ffmpeg');
    chmodSync(ffmpeg, 0o644);
    process.env.FFMPEG_PATH = ffmpeg;
    expect(() => resolveFfmpegTools()).toThrow(
      `liveStream: ffmpeg found at ${ffmpeg} (FFMPEG_PATH), not executable: EACCES. ` +
        `Fix it with \`chmod +x ${ffmpeg}\`, or set FFMPEG_PATH to an executable ffmpeg`,
    );
    // Not ours to change: it stays as the host left it.
    expect(statSync(ffmpeg).mode & 0o777).toBe(0o644);
  });
});

describe('findTool', () => {
  let directory: string;
  const noInstaller = () => null;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'onair-find-'));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  function file(relative: string, mode: number): string {
    const path = join(directory, relative);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, '#!/bin/sh\nexit 0\n');
    chmodSync(path, mode);
    return path;
  }

  it('skips a non-executable ffprobe on the PATH for a later one, and names it when there is no other', () => {
    const blocked = file('a/ffprobe', 0o644);
    const usable = file('b/ffprobe', 0o755);
    const pathDirectories = [dirname(blocked), dirname(usable)];
    expect(findTool('ffprobe', { env: undefined, pathDirectories, installer: noInstaller })).toBe(usable);
    expect(() =>
      findTool('ffprobe', { env: undefined, pathDirectories: [dirname(blocked)], installer: noInstaller }),
    ).toThrow(`ffprobe found at ${blocked} (on the PATH), not executable: EACCES. Fix it with \`chmod +x`);
  });

  it('makes the npm installer binary executable when it lost its mode (--ignore-scripts, pnpm), and says so', () => {
    const installed = file('node_modules/@ffprobe-installer/linux-x64/ffprobe', 0o644);
    const warn = vi.fn();
    const found = findTool(
      'ffprobe',
      { env: undefined, pathDirectories: [], installer: () => installed },
      { warn },
    );
    expect(found).toBe(installed);
    expect(statSync(installed).mode & 0o777).toBe(0o755);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining(`ffprobe at ${installed} was not executable`), {
      path: installed,
    });
  });

  it('never changes a binary outside node_modules: it says what to do instead', () => {
    const elsewhere = file('opt/ffprobe', 0o644);
    expect(() =>
      findTool('ffprobe', { env: undefined, pathDirectories: [], installer: () => elsewhere }),
    ).toThrow(
      /ffprobe found at .*opt\/ffprobe \(@ffprobe-installer\/ffprobe\), not executable: EACCES.*FFPROBE_PATH/,
    );
    expect(statSync(elsewhere).mode & 0o777).toBe(0o644);
  });

  it('says "not found" only when nothing was found at all', () => {
    expect(() =>
      findTool('ffmpeg', { env: undefined, pathDirectories: [directory], installer: noInstaller }),
    ).toThrow(
      'liveStream: ffmpeg not found: set FFMPEG_PATH, put ffmpeg on the PATH, or install @ffmpeg-installer/ffmpeg',
    );
  });
});
