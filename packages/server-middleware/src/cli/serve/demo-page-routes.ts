import { readFileSync } from 'node:fs';
import path from 'node:path';
import express from 'express';

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

/** Serves the demo page at `/`, pointed at `liveUrl`, and its assets (hashed names, so cacheable). */
export function demoPageRoutes(pageDirectory: string, liveUrl: string): express.Router {
  const html = pageHtmlFor(readFileSync(path.join(pageDirectory, 'index.html'), 'utf8'), liveUrl);
  const router = express.Router();
  router.get(['/', '/index.html'], (_request, response) => {
    response.set('Cache-Control', 'no-cache').type('html').send(html);
  });
  router.use(express.static(pageDirectory, { index: false }));
  return router;
}
