import { ErrorCode } from '@onair/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath } from '../fixtures/fixture-files';
import { fetchPlaylist, readPlaylist } from './helpers/hls-client';
import { type RunningHost, startHost } from './helpers/host-app';
import { json, rawGet } from './helpers/http-get';

// Blocking playlist reload (RFC 8216bis §6.2.5.2), which our player uses to have each segment as soon as it is
// listed (issue 11: the warm join). Real ffmpeg, real HTTP. That ffmpeg still reads these playlists is hls.test.ts's
// decoding test.

const ID = 'av-320x240-30fps';
const RENDITION = `/live/hls/${ID}/240p/index.m3u8`;
const HLS = { segmentSeconds: 1, windowSegments: 4, idleTimeoutMs: 5_000 };

const newestSequence = (playlist: { mediaSequence: number; numbers: number[] }) =>
  playlist.mediaSequence + playlist.numbers.length - 1;

describe('HLS blocking playlist reload', () => {
  let host: RunningHost;

  beforeAll(async () => {
    host = await startHost([fixturePath('audioVideo')], { hls: HLS });
  });

  afterAll(async () => {
    await host?.close();
  });

  it('offers it in every media playlist, and no HOLD-BACK of its own', async () => {
    const text = (await rawGet(host.origin, RENDITION)).body.toString();
    expect(text).toMatch(/^#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES$/m);
    expect(text).not.toMatch(/HOLD-BACK/);
  });

  it('holds a reload for the next media sequence number until that segment is listed', async () => {
    const before = await fetchPlaylist(host.origin, RENDITION);
    const next = newestSequence(before) + 1;
    const response = await rawGet(host.origin, `${RENDITION}?_HLS_msn=${next}`);
    expect(response.status).toBe(200);
    expect(newestSequence(readPlaylist(response))).toBeGreaterThanOrEqual(next);
  });

  it('answers at once for a segment already listed, and carries a token, never the directives, to its URIs', async () => {
    const listed = newestSequence(await fetchPlaylist(host.origin, RENDITION));
    const response = await rawGet(host.origin, `${RENDITION}?token=t1&_HLS_msn=${listed}&_HLS_part=0`);
    expect(response.status).toBe(200);
    const text = response.body.toString();
    expect(text).toMatch(/^seg-\d+\.m4s\?token=t1$/m);
    expect(text).toMatch(/^#EXT-X-MAP:URI="init-\d+\.mp4\?token=t1"$/m);
    expect(text).not.toContain('_HLS_');
  });

  it('refuses with 400 a reload more than two segments ahead, _HLS_part alone and a malformed _HLS_msn', async () => {
    const listed = newestSequence(await fetchPlaylist(host.origin, RENDITION));
    for (const query of [`_HLS_msn=${listed + 10}`, '_HLS_part=0', '_HLS_msn=next']) {
      const response = await rawGet(host.origin, `${RENDITION}?${query}`);
      expect(response.status, query).toBe(400);
      expect(json(response), query).toMatchObject({ error: { code: ErrorCode.BadRequest } });
    }
  });
});
