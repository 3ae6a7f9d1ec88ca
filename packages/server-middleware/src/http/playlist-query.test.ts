import { describe, expect, it } from 'vitest';
import { propagateQuery, requestQuery } from './playlist-query';

const MASTER = [
  '#EXTM3U',
  '#EXT-X-INDEPENDENT-SEGMENTS',
  '#EXT-X-STREAM-INF:BANDWIDTH=800000,RESOLUTION=640x360',
  '360p/index.m3u8',
  '',
].join('\n');

const MEDIA = [
  '#EXTM3U',
  '#EXT-X-TARGETDURATION:1',
  '#EXT-X-MAP:URI="init-3.mp4"',
  '#EXTINF:1.000,',
  'seg-41.m4s',
  '#EXTINF:1.000,',
  'seg-42.m4s',
  '',
].join('\n');

describe('propagateQuery', () => {
  it('puts the query on every variant playlist of a master playlist', () => {
    expect(propagateQuery(MASTER, 'token=abc')).toBe(
      MASTER.replace('360p/index.m3u8', '360p/index.m3u8?token=abc'),
    );
  });

  it('puts it on every segment and on the EXT-X-MAP init segment, and on nothing else', () => {
    const out = propagateQuery(MEDIA, 'token=abc&x=1').split('\n');
    expect(out).toEqual([
      '#EXTM3U',
      '#EXT-X-TARGETDURATION:1',
      '#EXT-X-MAP:URI="init-3.mp4?token=abc&x=1"',
      '#EXTINF:1.000,',
      'seg-41.m4s?token=abc&x=1',
      '#EXTINF:1.000,',
      'seg-42.m4s?token=abc&x=1',
      '',
    ]);
  });

  it('leaves a playlist requested without a query as it is', () => {
    expect(propagateQuery(MEDIA, '')).toBe(MEDIA);
  });

  it('adds to a URI that already has a query with &', () => {
    expect(propagateQuery('../480p/seg-1.m4s?v=2\n', 't=1')).toBe('../480p/seg-1.m4s?v=2&t=1\n');
  });
});

describe('requestQuery', () => {
  it('is the raw query of a URL, or empty', () => {
    expect(requestQuery('/live/hls/a/master.m3u8?token=a%2Bb.c-d_e~')).toBe('token=a%2Bb.c-d_e~');
    expect(requestQuery('/live/hls/a/master.m3u8')).toBe('');
  });

  it('re-encodes a query that could break a playlist line or a quoted attribute', () => {
    const query = requestQuery('/m.m3u8?token="x"\r\n#EXT-X-ENDLIST');
    expect(query).not.toMatch(/["\r\n ]/);
    expect(new URLSearchParams(query).get('token')).toBe('"x"\r\n#EXT-X-ENDLIST');
  });
});
