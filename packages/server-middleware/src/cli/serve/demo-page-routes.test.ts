import { describe, expect, it } from 'vitest';
import { pageHtmlFor } from './demo-page-routes';

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
