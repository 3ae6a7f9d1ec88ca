import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { VideoInfoSchema } from './catalog';
import { decodeServerMessage, encodeMessage } from './json-codec';
import { AccessRoleSchema, StreamCreateSchema, StreamListQuerySchema } from './streams';

const VIDEO = {
  id: 'show',
  title: 'Show',
  duration: null,
  width: 0,
  height: 0,
  fps: 0,
  hasAudio: false,
  thumbnailUrl: '/live/videos/show/thumbnail.jpg',
  hlsUrl: null,
};

describe('streams on the wire', () => {
  it('decodes stream-status for each status, and refuses an unknown one', () => {
    for (const status of ['scheduled', 'live', 'ended', 'cancelled', 'removed'] as const) {
      const message = { type: 'stream-status', videoId: 'show', status } as const;
      expect(decodeServerMessage(encodeMessage(message))).toEqual({ ok: true, value: message });
    }
    const paused = JSON.stringify({ type: 'stream-status', videoId: 'show', status: 'paused' });
    expect(decodeServerMessage(paused).ok).toBe(false);
  });

  it('reads a catalog entry with a status and scheduledAt, and one from an older server without them', () => {
    const scheduled = { ...VIDEO, status: 'scheduled', scheduledAt: 1_700_000_000_000 };
    expect(v.parse(VideoInfoSchema, scheduled)).toEqual(scheduled);
    expect(v.parse(VideoInfoSchema, VIDEO)).toEqual(VIDEO);
    expect(v.safeParse(VideoInfoSchema, { ...VIDEO, status: 'gone' }).success).toBe(false);
  });

  it('checks a create body: title required and trimmed, unknown fields and bad inputs refused', () => {
    expect(v.parse(StreamCreateSchema, { title: '  Launch ' })).toEqual({ title: 'Launch' });
    for (const body of [
      {},
      { title: '   ' },
      { title: 'ok', scheduledAt: 1.5 },
      { title: 'ok', id: '-starts-with-dash' },
      { title: 'ok', colour: 'red' },
      { title: 'ok', input: { input: 'x', format: 'lavfi; rm' } },
      { title: 'ok', input: { input: 'x', extra: true } },
    ]) {
      expect([body, v.safeParse(StreamCreateSchema, body).success]).toEqual([body, false]);
    }
  });

  it('reads one status or several from the list query', () => {
    expect(v.parse(StreamListQuerySchema, { status: 'live,ended' })).toEqual({ status: ['live', 'ended'] });
    expect(v.parse(StreamListQuerySchema, {})).toEqual({});
    expect(v.safeParse(StreamListQuerySchema, { status: 'live,paused' }).success).toBe(false);
  });

  it('adds broadcaster to the roles authorize is asked about', () => {
    expect(AccessRoleSchema.options).toEqual(['viewer', 'chatter', 'moderator', 'broadcaster']);
  });
});
