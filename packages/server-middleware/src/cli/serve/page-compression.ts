import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, brotliCompressSync, constants, gzip, gzipSync } from 'node:zlib';

// The demo page's text assets, compressed once when the page is built rather than at every request (issue 11:
// its JavaScript went out uncompressed). Best compression costs seconds once, at build time, and no CPU per
// viewer; the server sends the file beside the asset that the browser accepts.

/** The encodings a built page carries, best first, and the suffix of each file beside its asset. */
export const PAGE_ENCODINGS = [
  { encoding: 'br', suffix: '.br' },
  { encoding: 'gzip', suffix: '.gz' },
] as const;

export type PageEncoding = (typeof PAGE_ENCODINGS)[number]['encoding'];

/** Text a browser loads with the page. Source maps are left alone: only developer tools fetch them. */
export const COMPRESSIBLE_ASSET = /\.(?:js|mjs|css|html|svg|json|txt)$/;

/** Below this, compression saves less than a packet. */
const MIN_BYTES = 1_024;

const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

const brotliOptions = (size: number) => ({
  params: {
    [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
    [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
    [constants.BROTLI_PARAM_SIZE_HINT]: size,
  },
});

/** `data` in `encoding`, at the best compression (for files compressed once, at build time). */
export function compress(data: Buffer, encoding: PageEncoding): Promise<Buffer> {
  return encoding === 'br'
    ? brotliAsync(data, brotliOptions(data.length))
    : gzipAsync(data, { level: constants.Z_BEST_COMPRESSION });
}

/** The same, synchronously, for the small page the server rewrites at start (its index.html). */
export function compressSync(data: Buffer, encoding: PageEncoding): Buffer {
  return encoding === 'br'
    ? brotliCompressSync(data, brotliOptions(data.length))
    : gzipSync(data, { level: constants.Z_BEST_COMPRESSION });
}

export interface CompressedAsset {
  /** Path in the page folder, with `/` separators. */
  file: string;
  bytes: number;
  /** Bytes of each encoding written beside it. */
  encoded: Partial<Record<PageEncoding, number>>;
}

/**
 * Writes `<file>.br` and `<file>.gz` beside every compressible file of a built page (where smaller than the
 * file), and says what it wrote.
 */
export async function precompressPage(directory: string): Promise<CompressedAsset[]> {
  const files = (await readdir(directory, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile() && COMPRESSIBLE_ASSET.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name));
  return Promise.all(
    files.map(async (file): Promise<CompressedAsset> => {
      const data = await readFile(file);
      const asset: CompressedAsset = {
        file: path.relative(directory, file).split(path.sep).join('/'),
        bytes: data.length,
        encoded: {},
      };
      if (data.length < MIN_BYTES) return asset;
      for (const { encoding, suffix } of PAGE_ENCODINGS) {
        const encoded = await compress(data, encoding);
        if (encoded.length >= data.length) continue;
        await writeFile(`${file}${suffix}`, encoded);
        asset.encoded[encoding] = encoded.length;
      }
      return asset;
    }),
  );
}

/**
 * The encoding to send, of those at hand, for an `Accept-Encoding` header (RFC 9110 §12.5.3): the highest
 * q-value, and on a tie the first of `available` (best first). Browsers list `gzip` before `br` at the same
 * preference (Chromium: `gzip, deflate, br, zstd`), so the client's order is not a preference here, unlike
 * Express's `acceptsEncodings`. Null: send it unencoded.
 */
export function chooseEncoding(
  header: string | undefined,
  available: readonly PageEncoding[],
): PageEncoding | null {
  if (!header) return null;
  const quality = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name, ...parameters] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = parameters.map((parameter) => parameter.trim()).find((parameter) => parameter.startsWith('q='));
    const value = q === undefined ? 1 : Number(q.slice(2));
    quality.set(name.trim(), Number.isFinite(value) ? value : 0);
  }
  let chosen: PageEncoding | null = null;
  let best = 0;
  for (const encoding of available) {
    const q = quality.get(encoding) ?? quality.get('*') ?? 0;
    if (q > best) [chosen, best] = [encoding, q];
  }
  return chosen;
}
