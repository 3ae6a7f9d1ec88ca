import { describe, expect, it } from 'vitest';
import { audioSocketUrl, resolveEndpoints } from './endpoints';

describe('resolveEndpoints', () => {
  it('derives the catalog and socket URLs of a relative mount from the page', () => {
    const endpoints = resolveEndpoints('/live', 'http://example.test:3000/watch?x=1');
    expect(endpoints.videosUrl).toBe('/live/videos');
    expect(endpoints.socketUrl).toBe('ws://example.test:3000/live/ws');
    expect(endpoints.ingestUrl).toBe('ws://example.test:3000/live/ingest');
    expect(endpoints.assetUrl('/live/videos/a/thumbnail.jpg')).toBe('/live/videos/a/thumbnail.jpg');
  });

  it('uses wss on an https page and accepts a trailing slash or the root mount', () => {
    expect(resolveEndpoints('/live/', 'https://example.test/').socketUrl).toBe('wss://example.test/live/ws');
    expect(resolveEndpoints('/', 'https://example.test/page').socketUrl).toBe('wss://example.test/ws');
    expect(resolveEndpoints('/', 'https://example.test/page').videosUrl).toBe('/videos');
  });

  it('points everything at another origin for an absolute URL, thumbnails included', () => {
    const endpoints = resolveEndpoints('https://media.test:8443/live', 'http://app.test/');
    expect(endpoints.videosUrl).toBe('https://media.test:8443/live/videos');
    expect(endpoints.socketUrl).toBe('wss://media.test:8443/live/ws');
    expect(endpoints.assetUrl('/live/videos/a/thumbnail.jpg')).toBe(
      'https://media.test:8443/live/videos/a/thumbnail.jpg',
    );
  });

  it('accepts a ws URL and derives the http catalog URL from it', () => {
    const endpoints = resolveEndpoints('ws://localhost:4000/tv');
    expect(endpoints.socketUrl).toBe('ws://localhost:4000/tv/ws');
    expect(endpoints.videosUrl).toBe('http://localhost:4000/tv/videos');
  });

  it('has no socket URL for a relative mount without a page (server rendering)', () => {
    const endpoints = resolveEndpoints('/live');
    expect(endpoints.socketUrl).toBeNull();
    expect(endpoints.videosUrl).toBe('/live/videos');
  });
});

describe('resolveEndpoints with a query on the url (a token)', () => {
  it('carries it to the socket, the catalog, thumbnails and HLS playlists of a relative mount', () => {
    const endpoints = resolveEndpoints('/live?token=a%2Bb', 'https://example.test/watch');
    expect(endpoints.socketUrl).toBe('wss://example.test/live/ws?token=a%2Bb');
    expect(endpoints.videosUrl).toBe('/live/videos?token=a%2Bb');
    expect(endpoints.assetUrl('/live/hls/a/master.m3u8')).toBe('/live/hls/a/master.m3u8?token=a%2Bb');
    expect(endpoints.assetUrl('/live/videos/a/thumbnail.jpg')).toBe(
      '/live/videos/a/thumbnail.jpg?token=a%2Bb',
    );
  });

  it('carries it across origins, after a trailing slash, and joins a URL that has a query with &', () => {
    const endpoints = resolveEndpoints('http://media.test:4000/tv/?token=x&user=7', 'http://app.test/');
    expect(endpoints.socketUrl).toBe('ws://media.test:4000/tv/ws?token=x&user=7');
    expect(endpoints.videosUrl).toBe('http://media.test:4000/tv/videos?token=x&user=7');
    expect(endpoints.assetUrl('/tv/hls/a/master.m3u8?v=1')).toBe(
      'http://media.test:4000/tv/hls/a/master.m3u8?v=1&token=x&user=7',
    );
  });

  it('keeps it without a page (server rendering), and leaves URLs alone without one', () => {
    expect(resolveEndpoints('/live?token=x').videosUrl).toBe('/live/videos?token=x');
    expect(resolveEndpoints('/live').assetUrl('/live/videos/a/thumbnail.jpg')).toBe(
      '/live/videos/a/thumbnail.jpg',
    );
  });
});

describe('audioSocketUrl', () => {
  it('is the viewer socket’s URL with `audio` for `ws` and the token as its only query', () => {
    expect(audioSocketUrl('wss://example.test/live/ws?token=abc', 'a-b_c')).toBe(
      'wss://example.test/live/audio?audioToken=a-b_c',
    );
    expect(audioSocketUrl('ws://127.0.0.1:3000/ws', 'x')).toBe('ws://127.0.0.1:3000/audio?audioToken=x');
  });
});
