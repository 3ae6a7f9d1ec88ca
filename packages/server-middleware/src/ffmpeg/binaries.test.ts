import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveFfmpegTools } from './binaries';

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

  it('fails loudly when FFMPEG_PATH does not point at an executable', () => {
    process.env.FFMPEG_PATH = join(directory, 'missing');
    expect(() => resolveFfmpegTools()).toThrow(/FFMPEG_PATH is ".*missing", which is not an executable file/);
  });
});
