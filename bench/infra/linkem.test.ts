import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findLinkemDirectory, linkemSpec } from './linkem';

describe('findLinkemDirectory', () => {
  const saved = process.env.LINKEM_DIR;
  const folders: string[] = [];
  afterEach(() => {
    if (saved === undefined) delete process.env.LINKEM_DIR;
    else process.env.LINKEM_DIR = saved;
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });

  it('takes LINKEM_DIR first when it holds linkem.c', () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'linkem-'));
    folders.push(folder);
    writeFileSync(path.join(folder, 'linkem.c'), '');
    process.env.LINKEM_DIR = folder;
    expect(findLinkemDirectory()).toMatchObject({
      directory: folder,
      looked: expect.arrayContaining([folder]),
    });
  });

  it('passes over a LINKEM_DIR without linkem.c, and says where it looked', () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'linkem-'));
    folders.push(folder);
    process.env.LINKEM_DIR = folder;
    const found = findLinkemDirectory();
    expect(found.directory).not.toBe(folder);
    expect(found.looked[0]).toBe(folder);
    // Then the repository's own `../shared/tools/linkem`.
    expect(found.looked[1]).toMatch(/shared[/\\]tools[/\\]linkem$/);
  });
});

describe('linkemSpec', () => {
  it('spells a direction as linkem reads it', () => {
    expect(linkemSpec({ rate: 1_500_000, delay: 75, jitter: 0, loss: 0 })).toBe(
      'rate=1500000,delay=75,jitter=0,loss=0',
    );
  });
});
