import { ErrorCode, type StreamCreated, type StreamInfo } from '@onair/protocol';
import type { AuthorizeContext, AuthorizeResult } from '@onair/server-middleware';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath } from '../fixtures/fixture-files';
import { type RunningHost, startHost } from './helpers/host-app';
import { requestJson } from './helpers/social';

/** Broadcasters say so in a header (a stand-in for a session); everyone may watch. */
function broadcasterHeader({ req, role }: AuthorizeContext): AuthorizeResult {
  if (role !== 'broadcaster') return true;
  if (req.headers['x-role'] === 'nobody') return { status: 401 };
  return req.headers['x-role'] === 'broadcaster';
}

const broadcaster = { 'x-role': 'broadcaster' };
const errorCode = (body: unknown) => (body as { error: { code: string } }).error.code;

describe('streams REST: create, list, read, start, end, delete', () => {
  let host: RunningHost;
  let base: string;

  beforeAll(async () => {
    host = await startHost([{ id: 'clip', input: fixturePath('videoOnly') }], {
      authorize: broadcasterHeader,
    });
    base = `${host.origin}/live/streams`;
  });

  afterAll(async () => {
    await host?.close();
  });

  it('lists the start-up videos as live streams', async () => {
    const listed = await requestJson(base);
    expect(listed.status).toBe(200);
    const { streams } = listed.body as { streams: StreamInfo[] };
    expect(streams).toEqual([
      expect.objectContaining({ id: 'clip', status: 'live', hasInput: true, endedAt: null }),
    ]);
  });

  it('walks a stream through scheduled → live → ended → deleted as a broadcaster', async () => {
    const created = await requestJson(base, {
      method: 'POST',
      headers: broadcaster,
      body: { id: 'launch', title: 'Launch', description: 'The big one', scheduledAt: 4_102_444_800_000 },
    });
    expect(created.status).toBe(201);
    const { stream, ingest } = created.body as StreamCreated;
    expect(stream).toMatchObject({ id: 'launch', title: 'Launch', status: 'scheduled', hasInput: false });
    expect(ingest.key.length).toBeGreaterThanOrEqual(32);

    const read = await requestJson(`${base}/launch`);
    expect(read).toEqual({ status: 200, body: { stream } });
    expect(JSON.stringify(read.body)).not.toContain(ingest.key);
    const scheduled = (await requestJson(`${base}?status=scheduled`)).body as { streams: StreamInfo[] };
    expect(scheduled.streams.map((each) => each.id)).toEqual(['launch']);

    const started = await requestJson(`${base}/launch/start`, { method: 'POST', headers: broadcaster });
    expect(started.status).toBe(200);
    expect((started.body as { stream: StreamInfo }).stream).toMatchObject({ status: 'live' });
    const live = (await requestJson(`${base}?status=live`)).body as { streams: StreamInfo[] };
    expect(live.streams.map((each) => each.id)).toEqual(['clip', 'launch']);

    const again = await requestJson(`${base}/launch/start`, { method: 'POST', headers: broadcaster });
    expect(again.status).toBe(409);
    expect(errorCode(again.body)).toBe(ErrorCode.Conflict);

    const ended = await requestJson(`${base}/launch/end`, { method: 'POST', headers: broadcaster });
    expect((ended.body as { stream: StreamInfo }).stream).toMatchObject({ status: 'ended' });
    const both = (await requestJson(`${base}?status=ended,scheduled`)).body as { streams: StreamInfo[] };
    expect(both.streams.map((each) => each.id)).toEqual(['launch']);

    expect((await requestJson(`${base}/launch`, { method: 'DELETE', headers: broadcaster })).status).toBe(
      204,
    );
    const gone = await requestJson(`${base}/launch`);
    expect(gone.status).toBe(404);
    expect(errorCode(gone.body)).toBe(ErrorCode.UnknownVideo);
  });

  it('refuses every change without the broadcaster role (403, or 401 as the hook says), changing nothing', async () => {
    const refused = await requestJson(base, { method: 'POST', body: { title: 'Sneaky' } });
    expect(refused.status).toBe(403);
    expect(errorCode(refused.body)).toBe(ErrorCode.Forbidden);
    const unauthenticated = await requestJson(base, {
      method: 'POST',
      headers: { 'x-role': 'nobody' },
      body: { title: 'Sneaky' },
    });
    expect(unauthenticated.status).toBe(401);
    expect(errorCode(unauthenticated.body)).toBe(ErrorCode.Unauthorized);
    for (const [method, path] of [
      ['POST', '/clip/end'],
      ['POST', '/clip/start'],
      ['DELETE', '/clip'],
    ] as const) {
      const answer = await requestJson(`${base}${path}`, { method });
      expect([method, path, answer.status]).toEqual([method, path, 403]);
    }
    const { streams } = (await requestJson(base)).body as { streams: StreamInfo[] };
    expect(streams.map((each) => [each.id, each.status])).toEqual([['clip', 'live']]);
  });

  it('refuses bad input with codes', async () => {
    const post = (body: unknown, rawBody?: string) =>
      requestJson(base, { method: 'POST', headers: broadcaster, ...(rawBody ? { rawBody } : { body }) });
    for (const body of [
      {},
      { title: '' },
      { title: 'x'.repeat(501) },
      { title: 'ok', id: 'no/slash' },
      { title: 'ok', scheduledAt: 'tomorrow' },
      { title: 'ok', unknown: true },
      [],
    ]) {
      const answer = await post(body);
      expect([JSON.stringify(body), answer.status, errorCode(answer.body)]).toEqual([
        JSON.stringify(body),
        400,
        ErrorCode.BadMessage,
      ]);
    }
    const notJson = await post(undefined, '{"title":');
    expect([notJson.status, errorCode(notJson.body)]).toEqual([400, ErrorCode.BadMessage]);
    const taken = await post({ id: 'clip', title: 'Clip again' });
    expect([taken.status, errorCode(taken.body)]).toEqual([409, ErrorCode.Conflict]);
    const withInput = await post({ title: 'Bars', input: { input: 'testsrc2', format: 'lavfi' } });
    expect([withInput.status, errorCode(withInput.body)]).toEqual([403, ErrorCode.Forbidden]);
    const badStatus = await requestJson(`${base}?status=paused`);
    expect([badStatus.status, errorCode(badStatus.body)]).toEqual([400, ErrorCode.BadRequest]);
    const badId = await requestJson(`${base}/bad%2Fid/start`, { method: 'POST', headers: broadcaster });
    expect([badId.status, errorCode(badId.body)]).toEqual([400, ErrorCode.BadRequest]);
    const unknown = await requestJson(`${base}/nope/end`, { method: 'POST', headers: broadcaster });
    expect([unknown.status, errorCode(unknown.body)]).toEqual([404, ErrorCode.UnknownVideo]);
  });
});

describe('streams REST without an authorize hook', () => {
  let host: RunningHost;

  beforeAll(async () => {
    host = await startHost([{ id: 'clip', input: fixturePath('videoOnly') }]);
  });

  afterAll(async () => {
    await host?.close();
  });

  it('lets everyone read the streams and nobody change them (403)', async () => {
    const base = `${host.origin}/live/streams`;
    expect((await requestJson(base)).status).toBe(200);
    expect((await requestJson(`${base}/clip`)).status).toBe(200);
    const created = await requestJson(base, { method: 'POST', body: { title: 'Nope' } });
    expect([created.status, errorCode(created.body)]).toEqual([403, ErrorCode.Forbidden]);
    const ended = await requestJson(`${base}/clip/end`, { method: 'POST' });
    expect(ended.status).toBe(403);
    expect(host.live.streams.get('clip')?.status).toBe('live');
  });
});
