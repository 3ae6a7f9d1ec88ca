import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { chooseEncoding, precompressPage } from './page-compression';

describe('chooseEncoding', () => {
  it("prefers brotli when the browser accepts both equally, whatever the header's order (Chromium lists gzip first)", () => {
    expect(chooseEncoding('gzip, deflate, br, zstd', ['br', 'gzip'])).toBe('br');
    expect(chooseEncoding('gzip, deflate', ['br', 'gzip'])).toBe('gzip');
    expect(chooseEncoding('*', ['br', 'gzip'])).toBe('br');
  });

  it('follows q-values, and sends nothing encoded that the browser refuses or does not name', () => {
    expect(chooseEncoding('br;q=0.5, gzip', ['br', 'gzip'])).toBe('gzip');
    expect(chooseEncoding('br;q=0, gzip;q=0', ['br', 'gzip'])).toBeNull();
    expect(chooseEncoding('*;q=0', ['br', 'gzip'])).toBeNull();
    expect(chooseEncoding('identity', ['br', 'gzip'])).toBeNull();
    expect(chooseEncoding('', ['br', 'gzip'])).toBeNull();
    expect(chooseEncoding(undefined, ['br', 'gzip'])).toBeNull();
    expect(chooseEncoding('br', ['gzip'])).toBeNull();
  });
});

describe('precompressPage', () => {
  let directory = '';
  afterEach(() => rm(directory, { recursive: true, force: true }));

  it('writes a .br and a .gz beside each text asset worth compressing, and leaves source maps and small files', async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'onair-page-'));
    await mkdir(path.join(directory, 'assets'));
    const script = Buffer.from('export function f(a) { return a + 1; }\n'.repeat(500));
    await writeFile(path.join(directory, 'assets/index-AbCd1234.js'), script);
    await writeFile(path.join(directory, 'assets/index-AbCd1234.js.map'), script);
    await writeFile(path.join(directory, 'assets/tiny-AbCd1234.css'), 'a{color:red}');

    const written = await precompressPage(directory);

    const js = written.find((asset) => asset.file === 'assets/index-AbCd1234.js');
    expect(js?.bytes).toBe(script.length);
    expect(js?.encoded.br).toBeLessThan(script.length / 10);
    const br = await readFile(path.join(directory, 'assets/index-AbCd1234.js.br'));
    const gz = await readFile(path.join(directory, 'assets/index-AbCd1234.js.gz'));
    expect(brotliDecompressSync(br).equals(script)).toBe(true);
    expect(gunzipSync(gz).equals(script)).toBe(true);
    expect(written.map((asset) => asset.file).sort()).toEqual([
      'assets/index-AbCd1234.js',
      'assets/tiny-AbCd1234.css',
    ]);
    expect(written.find((asset) => asset.file === 'assets/tiny-AbCd1234.css')?.encoded).toEqual({});
    await expect(readFile(path.join(directory, 'assets/index-AbCd1234.js.map.br'))).rejects.toThrow(/ENOENT/);
  });
});
