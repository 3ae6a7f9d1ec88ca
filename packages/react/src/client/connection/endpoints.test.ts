import { describe, expect, it } from 'vitest';
import { resolveEndpoints } from './endpoints';

describe('resolveEndpoints', () => {
  it('derives the catalog and socket URLs of a relative mount from the page', () => {
    const endpoints = resolveEndpoints('/live', 'http://example.test:3000/watch?x=1');
    expect(endpoints.videosUrl).toBe('/live/videos');
    expect(endpoints.socketUrl).toBe('ws://example.test:3000/live/ws');
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
