import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveFfmpegTools } from './binaries';
import {
  announceFfmpeg,
  describeFfmpeg,
  type FfmpegVersion,
  inspectFfmpeg,
  isOutdated,
  parseFfmpegVersion,
} from './ffmpeg-version';

const version = (line: string, year = 2024) =>
  parseFfmpegVersion(
    `ffmpeg version ${line} Copyright (c) 2000-${year} the FFmpeg developers\nbuilt with gcc\n`,
  );

describe('parseFfmpegVersion', () => {
  it('reads releases, distribution builds and git snapshots', () => {
    expect(version('7.1.1')).toEqual({ name: '7.1.1', release: [7, 1], year: 2024 });
    expect(version('4.4.2-0ubuntu0.22.04.1', 2021)).toEqual({
      name: '4.4.2-0ubuntu0.22.04.1',
      release: [4, 4],
      year: 2021,
    });
    expect(version('n6.0')).toMatchObject({ release: [6, 0] });
    expect(version('N-47683-g0e8eb07980-static', 2018)).toEqual({
      name: 'N-47683-g0e8eb07980-static',
      release: null,
      year: 2018,
    });
    expect(parseFfmpegVersion('ffprobe version 7.1 Copyright (c) 2007-2024')).toBeNull();
    expect(parseFfmpegVersion('')).toBeNull();
  });

  it('calls a release below 4.0, or a snapshot from before 2018, outdated', () => {
    const outdated = (line: string, year?: number) => isOutdated(version(line, year) as FfmpegVersion);
    expect(outdated('3.4.8', 2020)).toBe(true);
    expect(outdated('2.8.17', 2016)).toBe(true);
    expect(outdated('4.0')).toBe(false);
    expect(outdated('7.1.1')).toBe(false);
    expect(outdated('N-86000-gabcdef-static', 2017)).toBe(true);
    expect(outdated('N-47683-g0e8eb07980-static', 2018)).toBe(false);
  });
});

describe('inspectFfmpeg', () => {
  const directory = mkdtempSync(join(tmpdir(), 'onair-ffmpeg-version-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));
  const script = (name: string, body: string) => {
    const path = join(directory, name);
    writeFileSync(path, `#!/bin/sh\n${body}\n`);
    chmodSync(path, 0o755);
    return path;
  };

  it('reads the bundled ffmpeg: a 2018 git snapshot from the npm package', () => {
    const saved = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const { ffmpeg } = resolveFfmpegTools();
      const found = inspectFfmpeg(ffmpeg, 10_000, undefined);
      expect(found).toMatchObject({
        path: ffmpeg,
        from: '@ffmpeg-installer/ffmpeg',
        version: { release: null, year: 2018 },
        outdated: false,
        problem: null,
      });
      expect(describeFfmpeg(found)).toMatch(
        /^ffmpeg N-\d+-g[0-9a-f]+-static \(a git snapshot of 2018\) at .+ \(from @ffmpeg-installer\/ffmpeg\)$/,
      );
    } finally {
      process.env.PATH = saved;
    }
  });

  it('warns through the logger about an ffmpeg older than 4.0, after saying which one is used', () => {
    const old = script(
      'ffmpeg-3',
      'echo "ffmpeg version 3.4.8 Copyright (c) 2000-2020 the FFmpeg developers"',
    );
    const lines: [string, string][] = [];
    const logger = {
      info: (message: string) => lines.push(['info', message]),
      warn: (message: string) => lines.push(['warn', message]),
    };
    const found = announceFfmpeg(old, logger, 10_000);
    expect(found).toMatchObject({ from: 'PATH', version: { name: '3.4.8' }, outdated: true });
    expect(lines).toEqual([
      ['info', `using ffmpeg 3.4.8 at ${old} (from the PATH)`],
      ['warn', expect.stringMatching(/older than ffmpeg 4\.0.*Set FFMPEG_PATH to a newer ffmpeg/)],
    ]);
  });

  it('names FFMPEG_PATH as the origin when it chose the binary', () => {
    const chosen = script(
      'ffmpeg-7',
      'echo "ffmpeg version 7.1.1 Copyright (c) 2000-2025 the FFmpeg developers"',
    );
    expect(inspectFfmpeg(chosen, 10_000, chosen)).toMatchObject({ from: 'FFMPEG_PATH', outdated: false });
  });

  it('says so, and goes on, when the binary does not tell its version', () => {
    const silent = script('ffmpeg-silent', 'exit 1');
    const warnings: string[] = [];
    const found = announceFfmpeg(silent, { warn: (message) => warnings.push(message) }, 10_000);
    expect(found).toMatchObject({ version: null, outdated: false });
    expect(warnings).toEqual([
      expect.stringMatching(/printed no version \(exit 1\); its version is unknown/),
    ]);
  });
});
