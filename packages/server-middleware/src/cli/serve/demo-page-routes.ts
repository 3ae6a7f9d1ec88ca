import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import express from 'express';
import { cacheControlFor, REVALIDATE_CACHE_CONTROL } from './page-caching';
import {
  COMPRESSIBLE_ASSET,
  chooseEncoding,
  compressSync,
  PAGE_ENCODINGS,
  type PageEncoding,
} from './page-compression';

/** The demo page reads the mount path it talks to from this tag (default `/live`). */
const LIVE_URL_META = /<meta name="onair-url" content="[^"]*"\s*\/?>/;

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** The built page's index.html, told where the OnAir mount is. */
export function pageHtmlFor(html: string, liveUrl: string): string {
  const tag = `<meta name="onair-url" content="${escapeAttribute(liveUrl)}" />`;
  return LIVE_URL_META.test(html)
    ? html.replace(LIVE_URL_META, tag)
    : html.replace('</head>', `${tag}</head>`);
}

/** Path in the page folder (`/` separators) → the encodings the build wrote beside it. */
function precompressedFiles(pageDirectory: string): Map<string, PageEncoding[]> {
  const files = new Set(
    (readdirSync(pageDirectory, { recursive: true }) as string[]).map((file) =>
      file.split(path.sep).join('/'),
    ),
  );
  const found = new Map<string, PageEncoding[]>();
  for (const file of files) {
    if (!COMPRESSIBLE_ASSET.test(file)) continue;
    found.set(
      file,
      PAGE_ENCODINGS.filter(({ suffix }) => files.has(`${file}${suffix}`)).map(({ encoding }) => encoding),
    );
  }
  return found;
}

/** The page's index.html, in memory (rewritten at start), compressed once. */
function pageHtmlHandler(html: string): express.RequestHandler {
  const body = Buffer.from(html);
  const encoded = new Map(PAGE_ENCODINGS.map(({ encoding }) => [encoding, compressSync(body, encoding)]));
  return (request, response) => {
    const encoding = chooseEncoding(request.get('Accept-Encoding'), [...encoded.keys()]);
    response.set('Cache-Control', REVALIDATE_CACHE_CONTROL).vary('Accept-Encoding').type('html');
    if (encoding) response.set('Content-Encoding', encoding);
    response.send(encoding ? encoded.get(encoding) : body);
  };
}

/**
 * A text asset in the encoding the browser asks for, from the file the build wrote beside it (`page-compression`);
 * anything else falls through to the static files.
 */
function precompressedAssets(pageDirectory: string): express.RequestHandler {
  const assets = precompressedFiles(pageDirectory);
  return (request, response, next) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return next();
    const file = request.path.slice(1);
    const available = assets.get(file);
    if (!available) return next();
    response.vary('Accept-Encoding');
    const encoding = chooseEncoding(request.get('Accept-Encoding'), available);
    if (!encoding) return next();
    const suffix = PAGE_ENCODINGS.find((entry) => entry.encoding === encoding)?.suffix;
    // The type of the asset, not of `.br`: send keeps a Content-Type already set.
    response.type(path.extname(file)).set('Content-Encoding', encoding);
    response.sendFile(
      `${file}${suffix}`,
      {
        root: pageDirectory,
        cacheControl: false,
        acceptRanges: false,
        headers: { 'Cache-Control': cacheControlFor(file) },
      },
      (error) => {
        if (!error || response.headersSent) return;
        // Gone since the start (a rebuild swapped the folder): let the static files answer.
        response.removeHeader('Content-Encoding');
        response.removeHeader('Content-Type');
        next();
      },
    );
  };
}

/**
 * Serves the demo page at `/`, pointed at `liveUrl`, and its assets: compressed where the browser accepts it, the
 * hashed ones cacheable for good, the page itself revalidated.
 */
export function demoPageRoutes(pageDirectory: string, liveUrl: string): express.Router {
  const html = pageHtmlFor(readFileSync(path.join(pageDirectory, 'index.html'), 'utf8'), liveUrl);
  const router = express.Router();
  router.get(['/', '/index.html'], pageHtmlHandler(html));
  router.use(precompressedAssets(pageDirectory));
  router.use(
    express.static(pageDirectory, {
      index: false,
      cacheControl: false,
      setHeaders: (response, file) => {
        const relative = path.relative(pageDirectory, file).split(path.sep).join('/');
        response.setHeader('Cache-Control', cacheControlFor(relative));
      },
    }),
  );
  return router;
}
