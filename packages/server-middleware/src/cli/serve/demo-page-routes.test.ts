import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPageRoutes, pageHtmlFor } from './demo-page-routes';
import { precompressPage } from './page-compression';

describe('pageHtmlFor', () => {
  it('points the page meta tag at the mount path', () => {
    const html = '<head><meta name="onair-url" content="/live" /><title>x</title></head>';
    expect(pageHtmlFor(html, '/tv/one')).toBe(
      '<head><meta name="onair-url" content="/tv/one" /><title>x</title></head>',
    );
  });

  it('adds the tag to a page built without one, escaped', () => {
    expect(pageHtmlFor('<head></head>', '/a"b')).toBe(
      '<head><meta name="onair-url" content="/a&quot;b" /></head>',
    );
  });
});

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A GET with exactly the headers given (fetch would add its own Accept-Encoding and decode the body). */
function get(origin: string, pathname: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${origin}${pathname}`, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }),
      );
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end();
  });
}

function decoded(response: RawResponse): string {
  const encoding = response.headers['content-encoding'];
  const body =
    encoding === 'br'
      ? brotliDecompressSync(response.body)
      : encoding === 'gzip'
        ? gunzipSync(response.body)
        : response.body;
  return body.toString('utf8');
}

// The page `onair serve` and `npm start` send (issue 11: 307 KB of JavaScript went out uncompressed and uncached).
describe('demoPageRoutes: compressed, cacheable assets', () => {
  const SCRIPT = 'assets/index-AbCd1234.js';
  const script = 'export function render(a) { return document.createElement(a); }\n'.repeat(400);
  let directory = '';
  let server: Server;
  let origin = '';

  beforeAll(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'onair-page-'));
    await mkdir(path.join(directory, 'assets'));
    await writeFile(
      path.join(directory, 'index.html'),
      `<!doctype html><html><head><meta name="onair-url" content="/live" /><script type="module" src="./${SCRIPT}"></script></head><body>${'<div></div>'.repeat(200)}</body></html>`,
    );
    await writeFile(path.join(directory, SCRIPT), script);
    await writeFile(path.join(directory, 'assets/photo-AbCd1234.jpg'), Buffer.alloc(2_000, 7));
    await writeFile(path.join(directory, 'robots.txt'), 'User-agent: *\n'.repeat(200));
    await precompressPage(directory);
    const app = express();
    app.use(demoPageRoutes(directory, '/tv'));
    server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(directory, { recursive: true, force: true });
  });

  it("answers a browser's Accept-Encoding with brotli for the JavaScript, cacheable for a year", async () => {
    const response = await get(origin, `/${SCRIPT}`, { 'Accept-Encoding': 'gzip, deflate, br, zstd' });
    expect(response.status).toBe(200);
    expect(response.headers['content-encoding']).toBe('br');
    expect(response.headers['content-type']).toMatch(/^text\/javascript/);
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(response.headers.vary).toMatch(/Accept-Encoding/i);
    expect(response.headers['accept-ranges']).toBeUndefined();
    expect(response.body.length).toBeLessThan(script.length / 10);
    expect(decoded(response)).toBe(script);
  });

  it('sends gzip to a client that only takes gzip, and the file itself to one that takes neither', async () => {
    const gzip = await get(origin, `/${SCRIPT}`, { 'Accept-Encoding': 'gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(decoded(gzip)).toBe(script);
    expect(gzip.headers['cache-control']).toBe('public, max-age=31536000, immutable');

    const plain = await get(origin, `/${SCRIPT}`, { 'Accept-Encoding': 'identity' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString('utf8')).toBe(script);
    expect(plain.headers['content-type']).toMatch(/^text\/javascript/);
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.headers.vary).toMatch(/Accept-Encoding/i);
  });

  it('sends the page compressed, pointed at the mount, and revalidated at each visit', async () => {
    const response = await get(origin, '/', { 'Accept-Encoding': 'gzip, deflate, br' });
    expect(response.headers['content-encoding']).toBe('br');
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.headers.vary).toMatch(/Accept-Encoding/i);
    expect(decoded(response)).toContain('<meta name="onair-url" content="/tv" />');
    const plain = await get(origin, '/index.html');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString('utf8')).toContain('<meta name="onair-url" content="/tv" />');
  });

  it('revalidates files with fixed names, and sends images as they are', async () => {
    const robots = await get(origin, '/robots.txt', { 'Accept-Encoding': 'br' });
    expect(robots.headers['content-encoding']).toBe('br');
    expect(robots.headers['cache-control']).toBe('no-cache');
    const photo = await get(origin, '/assets/photo-AbCd1234.jpg', { 'Accept-Encoding': 'br, gzip' });
    expect(photo.headers['content-encoding']).toBeUndefined();
    expect(photo.headers['content-type']).toBe('image/jpeg');
    expect(photo.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(photo.body.length).toBe(2_000);
  });
});
