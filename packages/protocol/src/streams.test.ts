import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { VideoInfoSchema } from './catalog';
import { decodeServerMessage, encodeMessage } from './json-codec';
import { AccessRoleSchema, StreamCreateSchema, StreamInfoSchema, StreamListQuerySchema } from './streams';

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

  it('carries a recording on a catalog entry and a stream, and a create body may ask to record', () => {
    const recording = { state: 'ready', bytes: 1_234, durationSec: 12.5 };
    const ended = { ...VIDEO, status: 'ended', recording };
    expect(v.parse(VideoInfoSchema, ended)).toEqual(ended);
    expect(
      v.safeParse(VideoInfoSchema, { ...ended, recording: { ...recording, state: 'paused' } }).success,
    ).toBe(false);
    expect(v.safeParse(VideoInfoSchema, { ...ended, recording: { ...recording, bytes: -1 } }).success).toBe(
      false,
    );
    const stream = {
      id: 'show',
      title: 'Show',
      description: null,
      status: 'live',
      scheduledAt: null,
      createdAt: 1,
      startedAt: 2,
      endedAt: null,
      hasInput: false,
    };
    const recordingNow = { state: 'recording', bytes: 0, durationSec: null };
    expect(v.parse(StreamInfoSchema, { ...stream, recording: recordingNow })).toEqual({
      ...stream,
      recording: recordingNow,
    });
    expect(v.parse(StreamInfoSchema, stream)).toEqual(stream);
    expect(v.parse(StreamCreateSchema, { title: 'T', record: true })).toEqual({ title: 'T', record: true });
    expect(v.safeParse(StreamCreateSchema, { title: 'T', record: 'yes' }).success).toBe(false);
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
