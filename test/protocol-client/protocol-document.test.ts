import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type LiveStream, liveStream } from '@onair/server-middleware';
import express from 'express';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath } from '../fixtures/fixture-files';
import {
  audioSocketUrl,
  type ControlMessage,
  DocumentClient,
  jpegFrameInfo,
  MAX_CLIENT_MESSAGE_BYTES,
  MAX_CONTROL_MESSAGE_BYTES,
  type MediaMessage,
  opusPacketDurationMs,
  problemsWith,
  problemsWithAudioSocketMessage,
  splitOpusPackets,
} from './document-client';

// PROTOCOL.md, walked step by step by a client that knows only the document (see document-client.ts). Each test
// names the section it checks; every control message any client received is held to the document's tables after
// each test, and every binary message to the media header's layout.

const HEARTBEAT_MS = 2_000;
const HELLO_TIMEOUT_MS = 2_000;
const DEFAULT_REACTIONS = ['❤️', '👍', '😂', '😮', '👏', '🔥'];

let live: LiveStream;
let server: Server;
let origin: string;
let wsUrl: string;
let clients: DocumentClient[] = [];

async function open(
  options: Parameters<typeof DocumentClient.connect>[1] = {},
  query = '',
): Promise<DocumentClient> {
  const client = await DocumentClient.connect(`${wsUrl}${query}`, options);
  clients.push(client);
  return client;
}

type Rung = { width: number; height: number; quality: number; kbps: number; label: string };
const rungsOf = (stream: ControlMessage) => stream.rungs as Rung[];
const isControl = (type: string) => (item: { kind: string; message?: ControlMessage }) =>
  item.kind === 'control' && item.message?.type === type;

beforeAll(async () => {
  // As the server README shows it: liveStream() mounted in the host's Express app, then attach(server).
  const app = express();
  // So X-Forwarded-For names the client (for maxSocketsPerAddress, which never limits loopback itself).
  app.set('trust proxy', 'loopback');
  live = liveStream(
    [
      { id: 'av', title: 'Test card', input: fixturePath('audioVideo') },
      { id: 'vo', title: 'Silent card', input: fixturePath('videoOnly') },
    ],
    {
      logger: false,
      heartbeatMs: HEARTBEAT_MS,
      helloTimeoutMs: HELLO_TIMEOUT_MS,
      maxSocketsPerAddress: 2,
      // Everyone watches and chats; a socket opened with ?moderator=1 moderates, one with ?no-vo=1 may not watch vo.
      authorize: ({ req, role, streamId }) => {
        const url = req.url ?? '';
        if (role === 'viewer' && streamId === 'vo' && url.includes('no-vo=1')) return false;
        return role !== 'moderator' || url.includes('moderator=1');
      },
    },
  );
  app.use('/live', live);
  server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  live.attach(server);
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  wsUrl = `ws://127.0.0.1:${port}/live/ws`;
});

/**
 * What the document says of every video frame a viewer receives: sequence numbers only grow until a new `stream`;
 * the frame is at the rung the last `stream` or `quality-changed` named (a switch takes effect from the next
 * frame), and its JPEG has that rung's size.
 */
function videoProblems(client: DocumentClient): string[] {
  const problems: string[] = [];
  let rungs: Rung[] | null = null;
  let rung = -1;
  let lastSequence = -1;
  for (const item of client.received) {
    if (item.kind === 'control' && item.message.type === 'stream') {
      rungs = rungsOf(item.message);
      rung = item.message.rung as number;
      lastSequence = -1;
    } else if (item.kind === 'control' && item.message.type === 'quality-changed') {
      rung = item.message.rung as number;
    } else if (item.kind === 'media' && item.media.kind === 'video') {
      const { sequence, rungOrChannels, payload } = item.media;
      if (!rungs) problems.push(`video frame ${sequence} before any stream`);
      if (sequence <= lastSequence) problems.push(`video sequence ${sequence} after ${lastSequence}`);
      if (rungOrChannels !== rung) problems.push(`frame ${sequence} at rung ${rungOrChannels}, not ${rung}`);
      const size = rungs?.[rungOrChannels];
      const jpeg = jpegFrameInfo(payload);
      if (jpeg.width !== size?.width || jpeg.height !== size?.height || !jpeg.baseline) {
        problems.push(`frame ${sequence}: ${JSON.stringify(jpeg)} at rung ${rungOrChannels}`);
      }
      lastSequence = sequence;
    }
  }
  return problems;
}

afterEach(() => {
  const problems = clients.flatMap((client) => [
    ...client.received.flatMap((item) =>
      item.kind === 'control' ? problemsWith(item.message) : item.kind === 'unreadable' ? [item.reason] : [],
    ),
    ...videoProblems(client),
  ]);
  for (const client of clients) client.close();
  clients = [];
  expect(problems).toEqual([]);
});

afterAll(async () => {
  await live?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
});

/** "Binary media messages": the header fields every media message must have right. */
function expectWellFormedHeader(media: MediaMessage): void {
  expect(media.headerVersion).toBe(1);
  expect(media.headerLength).toBe(24);
  expect(media.flags).toBe(0);
}

/** Sequence numbers that count up by one per message (wrapping at 2^32). */
function steps(sequences: number[]): number[] {
  return sequences.slice(1).map((sequence, i) => (sequence - (sequences[i] as number) + 2 ** 32) % 2 ** 32);
}

async function watch(client: DocumentClient, select: Record<string, unknown> = {}, hello = {}) {
  const welcome = await client.hello(hello);
  const selectedAt = client.skipReceived();
  client.send({ type: 'select', videoId: 'av', ...select });
  const stream = await client.control('stream');
  return { welcome, stream, selectedAt };
}

describe('Session: hello and welcome', () => {
  it('answers hello with welcome and pushes nothing else until asked (the catalog only on request)', async () => {
    const client = await open();
    const welcome = await client.hello();
    expect(welcome).toMatchObject({ protocolVersion: 1, maxClientMessageBytes: MAX_CLIENT_MESSAGE_BYTES });
    // The configured ladder's JPEG qualities, in the order configured (the server's default ladder here).
    expect(welcome.ladder).toEqual([40, 50, 50, 50, 70, 70, 85]);
    expect(welcome.index).toBe(0);
    expect(await client.collect(1_000)).toEqual([]);
  });

  it('sends the catalog on request: the videos, as GET <mount>/videos gives them', async () => {
    const client = await open();
    await client.hello();
    client.send({ type: 'catalog' });
    const catalog = await client.control('catalog');
    const rest = await (await fetch(`${origin}/live/videos`)).json();
    expect(catalog.videos).toEqual(rest);
    const [av, vo] = catalog.videos as Record<string, unknown>[];
    expect(av).toMatchObject({
      id: 'av',
      title: 'Test card',
      width: 320,
      height: 240,
      fps: 30,
      hasAudio: true,
    });
    expect(av?.duration).toBeCloseTo(4, 0);
    expect(vo).toMatchObject({ id: 'vo', width: 160, height: 120, fps: 25, hasAudio: false });
    expect(av?.thumbnailUrl).toBe('/live/videos/av/thumbnail.jpg');
    const thumbnail = await fetch(`${origin}${av?.thumbnailUrl}`);
    expect(thumbnail.headers.get('content-type')).toBe('image/jpeg');
    // This server has no `hls` option: no HLS.
    expect(av?.hlsUrl ?? null).toBeNull();
    // Unknown fields are ignored.
    client.send({ type: 'catalog', somethingNew: true });
    await client.control('catalog');
  });
});

describe('Session: select, stream, media', () => {
  it('answers select with stream, then quality-changed "initial"; media only after the stream, by the header layout', async () => {
    const client = await open();
    const { welcome, stream, selectedAt } = await watch(client);
    expect(stream).toMatchObject({ videoId: 'av', width: 320, height: 240, fps: 30, viewerFps: 30 });
    // No hello.audioCodecs means ["pcm"].
    expect(stream.audio).toEqual({
      codec: 'pcm',
      sampleRate: 48_000,
      channels: 2,
      sampleFormat: 's16le',
      chunkMs: 40,
    });
    expect(Math.abs((stream.channelTime as number) - Date.now())).toBeLessThan(2_000);
    expect(stream.duration).toBeCloseTo(4, 0);
    expect(stream.position).toBeGreaterThanOrEqual(0);
    expect(stream.position).toBeLessThan(stream.duration as number);
    const rungs = rungsOf(stream);
    expect(stream.rung).toBeLessThan(rungs.length);
    expect(client.mediaSince(selectedAt).filter((m) => m.index < stream.index)).toEqual([]);

    const initial = await client.control('quality-changed');
    const rung = rungs[stream.rung as number] as Rung;
    expect(initial).toMatchObject({
      rung: stream.rung,
      quality: rung.quality,
      mode: 'auto',
      reason: 'initial',
      viewerFps: 30,
      label: rung.label,
      width: rung.width,
      height: rung.height,
    });
    // Joining the room is part of select: `room` after `stream`.
    const room = await client.control('room', undefined, stream.index);
    expect(room.streamId).toBe('av');

    // Enough frames that the window (welcome.ackWindow) must have been freed by our acks many times over.
    const ackWindow = welcome.ackWindow as number;
    await client.take(() => client.mediaSince(stream.index, 'video').length >= 3 * ackWindow);
    await client.collect(500);
    const video = client.mediaSince(stream.index, 'video');
    const audio = client.mediaSince(stream.index, 'audio');
    for (const frame of video) {
      // Byte 6 and the JPEG's size are held to the rung announced last by the check after each test.
      expectWellFormedHeader(frame);
      expect(frame.payload.subarray(-2)).toEqual(Buffer.from([0xff, 0xd9]));
    }
    // Sequence numbers only grow (they may skip for a viewer that falls behind), timestamps are the channel clock.
    expect(steps(video.map((f) => f.sequence)).every((step) => step >= 1 && step < 2 ** 31)).toBe(true);
    for (const [i, frame] of video.entries()) {
      if (i > 0) expect(frame.timestamp).toBeGreaterThan((video[i - 1] as MediaMessage).timestamp);
      expect(Math.abs(client.received[frame.index]!.at - frame.timestamp)).toBeLessThan(2_000);
    }

    expect(audio.length).toBeGreaterThan(5);
    for (const chunk of audio) {
      expectWellFormedHeader(chunk);
      expect(chunk.rungOrChannels).toBe(2);
      expect(chunk.payload.length % 4).toBe(0);
      expect(chunk.payload.length).toBeLessThanOrEqual((100 * 48_000 * 4) / 1000);
    }
    expect(steps(audio.map((a) => a.sequence))).toEqual(audio.slice(1).map(() => 1));
    // Each chunk's timestamp is that of its first sample, and the next one starts where it ends.
    for (const [i, chunk] of audio.slice(1).entries()) {
      const previous = audio[i] as MediaMessage;
      expect(chunk.timestamp - previous.timestamp).toBeCloseTo(previous.payload.length / 192, 0);
    }
  });

  it('takes feedback with every field the document requires, and refuses one without any of them', async () => {
    const client = await open();
    const { stream } = await watch(client);
    await client.media('video');
    const feedback = {
      type: 'feedback',
      bufferLevel: 1,
      bufferMs: 500,
      networkQuality: 'good',
      timestamp: Date.now(),
      droppedFrames: 0,
      lateFrames: 0,
      decodeMs: 2,
    };
    client.send(feedback);
    client.send({ ...feedback, renderDroppedFrames: 0 });
    const errorsAt = client.skipReceived();
    await client.collect(700);
    expect(client.controls('error')).toEqual([]);
    for (const field of [
      'bufferLevel',
      'bufferMs',
      'networkQuality',
      'timestamp',
      'droppedFrames',
      'lateFrames',
      'decodeMs',
    ]) {
      const without: Record<string, unknown> = { ...feedback };
      delete without[field];
      client.send(without);
      const error = await client.error('ONAIR_BAD_MESSAGE');
      expect(error.fatal, field).toBe(false);
    }
    client.send({ ...feedback, bufferLevel: 101 });
    await client.error('ONAIR_BAD_MESSAGE');
    expect(client.controls('error').length).toBe(8);
    expect(client.received.slice(errorsAt).some(isControl('quality-changed'))).toBe(false);
    expect(client.isOpen).toBe(true);
    expect(stream.videoId).toBe('av');
  });

  it('locks the viewer with quality, hands control back with "auto", refuses a rung off the ladder', async () => {
    const client = await open();
    const { stream } = await watch(client);
    await client.control('quality-changed');
    const rungs = rungsOf(stream);
    client.send({ type: 'quality', rung: 0 });
    const locked = await client.control('quality-changed');
    expect(locked).toMatchObject({ rung: 0, mode: 'locked', reason: 'request', quality: rungs[0]?.quality });
    expect(locked).toMatchObject({
      width: rungs[0]?.width,
      height: rungs[0]?.height,
      label: rungs[0]?.label,
    });
    await client.collect(1_000);
    // A rung switch takes effect from the next frame.
    const after = client.mediaSince(locked.index, 'video');
    expect(after.length).toBeGreaterThan(0);
    expect(after.map((f) => f.rungOrChannels).filter((r) => r !== 0)).toEqual([]);
    for (const frame of after) {
      expect(jpegFrameInfo(frame.payload)).toMatchObject({
        width: rungs[0]?.width,
        height: rungs[0]?.height,
      });
    }

    client.send({ type: 'quality', rung: rungs.length });
    expect((await client.error('ONAIR_BAD_RUNG')).fatal).toBe(false);
    for (const rung of [256, -1, 1.5, 'best']) {
      client.send({ type: 'quality', rung });
      await client.error('ONAIR_BAD_MESSAGE');
    }
    client.send({ type: 'quality', rung: 'auto' });
    const auto = await client.control('quality-changed');
    expect(auto).toMatchObject({ mode: 'auto', reason: 'request' });
  });

  it('answers every quality request with quality-changed "request", even one that moves nothing', async () => {
    const client = await open();
    await client.hello();
    // Before any stream: a rung of welcome.ladder, announced with viewerFps 0 and no rung size yet.
    client.send({ type: 'quality', rung: 1 });
    const early = await client.control('quality-changed');
    expect(early).toMatchObject({ rung: 1, mode: 'locked', reason: 'request', viewerFps: 0 });
    expect(early.label).toBeUndefined();
    client.send({ type: 'select', videoId: 'av' });
    const stream = await client.control('stream');
    expect(stream.rung).toBe(1);
    expect(await client.control('quality-changed')).toMatchObject({
      rung: 1,
      mode: 'locked',
      reason: 'initial',
    });
    client.send({ type: 'quality', rung: 1 });
    expect(await client.control('quality-changed')).toMatchObject({
      rung: 1,
      mode: 'locked',
      reason: 'request',
    });
    // A second select keeps the rung (capped to the new ladder) and the mode; its stream says which rung.
    client.send({ type: 'select', videoId: 'vo' });
    const second = await client.control('stream');
    expect(second.rung).toBe(Math.min(1, rungsOf(second).length - 1));
    client.send({ type: 'quality', rung: 'auto' });
    expect(await client.control('quality-changed')).toMatchObject({
      rung: second.rung,
      mode: 'auto',
      reason: 'request',
    });
    client.send({ type: 'quality', rung: 'auto' });
    expect(await client.control('quality-changed')).toMatchObject({ mode: 'auto', reason: 'request' });
  });

  it('moves the rung on the feedback inputs the document names, one step per rule', async () => {
    const client = await open();
    const { stream } = await watch(client, { videoId: 'vo' });
    await client.control('quality-changed');
    // From the top rung, so there is room for every step down.
    client.send({ type: 'quality', rung: rungsOf(stream).length - 1 });
    client.send({ type: 'quality', rung: 'auto' });
    await client.take(
      (r) => isControl('quality-changed')(r) && r.kind === 'control' && r.message.mode === 'auto',
    );
    const report = (fields: Record<string, unknown>) =>
      client.send({
        type: 'feedback',
        bufferLevel: 1,
        bufferMs: 500,
        networkQuality: 'good',
        timestamp: Date.now(),
        droppedFrames: 0,
        lateFrames: 0,
        decodeMs: 1,
        ...fields,
      });
    // The server's own measure of the link (a frame it had to skip for this viewer, reason "backpressure" or
    // "throughput") may move the viewer at any time on a busy machine; the rules under test are the feedback's.
    const byServer = (q: ControlMessage) => q.reason === 'backpressure' || q.reason === 'throughput';
    const lastMove = () => client.controls('quality-changed').at(-1) as ControlMessage;
    // Where a quality-changed puts the viewer on the steps: a rung, or below rung 0 a frame-rate divisor.
    const divisors = [1, 2, 3, 6];
    const position = (q: ControlMessage) =>
      (q.rung as number) > 0
        ? (q.rung as number)
        : 0 - divisors.indexOf(Math.round((stream.fps as number) / (q.viewerFps as number)));

    // Render drops never count against the link.
    report({ droppedFrames: 5, renderDroppedFrames: 5, bufferLevel: 0.6 });
    const quietFrom = client.skipReceived();
    await client.collect(1_200);
    const moves = client.received.slice(quietFrom).flatMap((r) => (r.kind === 'control' ? [r.message] : []));
    expect(moves.filter((m) => m.type === 'quality-changed' && !byServer(m))).toEqual([]);

    /** Sends the report until it moves the viewer for `reason` (a move by the server may hold it for 1 s). */
    const expectMove = async (fields: () => Record<string, unknown>, reason: string, step: number) => {
      for (let attempt = 0; attempt < 5; attempt++) {
        // Down-moves are at least 1 s apart.
        await client.collect(1_100);
        const before = lastMove();
        const from = client.skipReceived();
        report(fields());
        await client.collect(600);
        const moved = client.received.slice(from).flatMap((r) => (r.kind === 'control' ? [r.message] : []));
        const answer = moved.find((m) => m.type === 'quality-changed' && !byServer(m));
        if (answer) {
          expect(answer).toMatchObject({ reason, mode: 'auto' });
          expect(position(answer)).toBe(position(before) + step);
          return;
        }
      }
      throw new Error(`no "${reason}" move in 5 reports`);
    };
    // Drops count while the link agrees: here a buffer under 10 % (drops are judged before the buffer).
    await expectMove(() => ({ droppedFrames: 1, renderDroppedFrames: 0, bufferLevel: 0.05 }), 'drops', -1);
    await expectMove(() => ({ lateFrames: 3, bufferLevel: 0.05 }), 'drops', -1);
    await expectMove(() => ({ decodeMs: (0.8 * 1000) / (lastMove().viewerFps as number) + 5 }), 'cpu', -1);
    await expectMove(() => ({ bufferLevel: 0.05 }), 'buffer-low', -1);

    // Going up: the buffer at or above half its target, not draining, for 2 s (from the last move on).
    const movesBefore = client.controls('quality-changed').length;
    const raised = () =>
      client.controls('quality-changed').findIndex((q, i) => i >= movesBefore && q.reason === 'buffer-high');
    for (let i = 0; i < 60 && raised() < 0; i++) {
      report({ bufferLevel: 1 });
      await client.collect(250);
    }
    const all = client.controls('quality-changed');
    const up = all[raised()] as ControlMessage;
    expect(up).toMatchObject({ reason: 'buffer-high', mode: 'auto' });
    expect(position(up)).toBe(position(all[raised() - 1] as ControlMessage) + 1);
  });

  it('caps the frame rate with viewer-limits (quality-changed "cpu") and with select.videoFps', async () => {
    const client = await open();
    const { stream } = await watch(client);
    await client.control('quality-changed');
    client.send({ type: 'viewer-limits', maxFps: 10 });
    const capped = await client.control('quality-changed');
    expect(capped.reason).toBe('cpu');
    expect(capped.viewerFps).toBeLessThanOrEqual(10);
    await client.collect(1_500);
    const sequences = client.mediaSince(capped.index, 'video').map((f) => f.sequence);
    expect(sequences.length).toBeGreaterThan(3);
    // A subset of the channel's frames: sequence numbers skip.
    expect(
      steps(sequences)
        .slice(1)
        .every((step) => step >= 2),
    ).toBe(true);
    client.send({ type: 'viewer-limits', maxFps: null, maxHeight: null });
    expect((await client.control('quality-changed')).viewerFps).toBe(stream.fps);
    // maxHeight: the viewer moves at once to a rung no taller (rung 0 always allowed).
    const rungs = rungsOf(stream);
    client.send({ type: 'viewer-limits', maxHeight: rungs[0]?.height });
    const lowered = await client.control('quality-changed');
    expect(lowered).toMatchObject({ reason: 'cpu', rung: 0 });
    client.send({ type: 'viewer-limits', maxHeight: 15 });
    await client.error('ONAIR_BAD_MESSAGE');

    const slow = await open();
    const { stream: slowStream } = await watch(slow, { videoFps: 10 });
    expect(slowStream.viewerFps).toBeLessThanOrEqual(10);
    await slow.collect(1_500);
    const slowSequences = slow.mediaSince(slowStream.index, 'video').map((f) => f.sequence);
    expect(
      steps(slowSequences)
        .slice(1)
        .every((step) => step >= 2),
    ).toBe(true);
  });

  it('on a second select: old-channel media only before the new stream, no quality-changed, the new room', async () => {
    const client = await open();
    const { stream } = await watch(client);
    await client.control('quality-changed');
    // Locked, so the rung controller cannot move the viewer on its own (a frame skipped on a busy machine would).
    client.send({ type: 'quality', rung: 0 });
    await client.take((r) => r.kind === 'control' && r.message.reason === 'request');
    await client.media('video');
    const secondAt = client.skipReceived();
    client.send({ type: 'select', videoId: 'vo' });
    const second = await client.control('stream');
    expect(second).toMatchObject({ videoId: 'vo', width: 160, height: 120, fps: 25, audio: null });
    const room = await client.control('room', undefined, second.index);
    expect(room.streamId).toBe('vo');
    await client.collect(2_000);
    const newRungs = rungsOf(second);
    const after = client.mediaSince(second.index);
    expect(after.filter((m) => m.kind === 'audio')).toEqual([]);
    expect(after.length).toBeGreaterThan(0);
    for (const frame of after) {
      const rung = newRungs[frame.rungOrChannels] as Rung;
      expect(jpegFrameInfo(frame.payload)).toMatchObject({ width: rung.width, height: rung.height });
    }
    expect(steps(after.map((f) => f.sequence)).every((step) => step >= 1 && step < 2 ** 31)).toBe(true);
    expect(client.received.slice(secondAt).some(isControl('quality-changed'))).toBe(false);
    // The old channel's frames were a different picture size, so a frame before the stream tells which it was.
    for (const frame of client.mediaSince(secondAt, 'video').filter((m) => m.index < second.index)) {
      expect(jpegFrameInfo(frame.payload).height).not.toBe(120);
    }
    expect(stream.videoId).toBe('av');
  });

  it('with media: false, joins the room only: no stream, no quality-changed, no media', async () => {
    const client = await open();
    await client.hello();
    const at = client.skipReceived();
    client.send({ type: 'select', videoId: 'av', media: false });
    const room = await client.control('room');
    expect(room).toMatchObject({ streamId: 'av', viewers: expect.any(Number) });
    await client.collect(1_500);
    const since = client.received.slice(at);
    expect(since.filter((r) => r.kind !== 'control')).toEqual([]);
    expect(since.some(isControl('stream')) || since.some(isControl('quality-changed'))).toBe(false);
  });

  it('asks authorize on the upgrade and on each select: the catalog lists only what the viewer may watch', async () => {
    await expect(DocumentClient.connect(`${wsUrl}?video=vo&no-vo=1`)).rejects.toThrow('upgrade answered 403');
    const client = await open({}, '?no-vo=1');
    await client.hello();
    client.send({ type: 'catalog' });
    expect(((await client.control('catalog')).videos as ControlMessage[]).map((v) => v.id)).toEqual(['av']);
    client.send({ type: 'select', videoId: 'vo' });
    expect(await client.error('ONAIR_UNAUTHORIZED')).toMatchObject({ fatal: false });
    client.send({ type: 'select', videoId: 'av' });
    await client.control('stream');
  });

  it('refuses a select of an unknown video or an id off its pattern, and keeps the socket', async () => {
    const client = await open();
    await client.hello();
    client.send({ type: 'select', videoId: 'nope' });
    expect(await client.error('ONAIR_UNKNOWN_VIDEO')).toMatchObject({ fatal: false });
    client.send({ type: 'select', videoId: '-bad' });
    expect(await client.error('ONAIR_BAD_MESSAGE')).toMatchObject({ fatal: false });
    client.send({ type: 'select', videoId: 'av', videoFps: 0 });
    await client.error('ONAIR_BAD_MESSAGE');
    expect(client.isOpen).toBe(true);
  });
});

describe('Audio codecs', () => {
  it('serves Opus to a client that prefers it: length-prefixed packets that follow each other without gaps', async () => {
    const client = await open();
    const { stream } = await watch(client, {}, { audioCodecs: ['opus', 'pcm'] });
    expect(stream.audio).toEqual({ codec: 'opus', sampleRate: 48_000, channels: 2, chunkMs: 40 });
    await client.take(() => client.mediaSince(stream.index, 'audio').length >= 8);
    const audio = client.mediaSince(stream.index, 'audio');
    for (const chunk of audio) {
      expectWellFormedHeader(chunk);
      expect(chunk.rungOrChannels).toBe(2);
      expect(splitOpusPackets(chunk.payload).length).toBeGreaterThan(0);
    }
    expect(steps(audio.map((a) => a.sequence))).toEqual(audio.slice(1).map(() => 1));
    for (const [i, chunk] of audio.slice(1).entries()) {
      const previous = audio[i] as MediaMessage;
      const packets = splitOpusPackets(previous.payload).map(opusPacketDurationMs);
      const played = packets.reduce((sum, ms) => sum + ms, 0);
      // At most chunkMs, rounded up to its last packet; shorter when no more packets were coming soon.
      expect(played - (packets.at(-1) as number)).toBeLessThan(40);
      expect(chunk.timestamp - previous.timestamp).toBeCloseTo(played, 1);
    }
  });

  it('serves PCM to a client that names only PCM, Opus to one that names only Opus; refuses other lists', async () => {
    const pcm = await open();
    expect((await watch(pcm, {}, { audioCodecs: ['pcm'] })).stream.audio).toMatchObject({ codec: 'pcm' });
    const opus = await open();
    expect((await watch(opus, {}, { audioCodecs: ['opus'] })).stream.audio).toMatchObject({ codec: 'opus' });
    for (const audioCodecs of [[], ['flac'], ['opus', 'pcm', 'opus', 'pcm', 'opus']]) {
      const client = await open();
      client.send({ type: 'hello', protocolVersion: 1, audioCodecs });
      await client.error('ONAIR_BAD_MESSAGE');
    }
  });
});

describe('The audio socket', () => {
  it('carries the sound alone once open, each stream named first; the viewer socket then brings video only', async () => {
    const client = await open();
    const welcome = await client.hello({ audioCodecs: ['opus'], audioSocket: true });
    const { token } = welcome.audioSocket as { token: string };
    const audio = await DocumentClient.connect(audioSocketUrl(wsUrl, token));
    try {
      const selectedAt = client.skipReceived();
      client.send({ type: 'select', videoId: 'av' });
      const stream = await client.control('stream');
      await audio.take(() => audio.mediaSince(0, 'audio').length >= 5);
      await client.take(() => client.mediaSince(stream.index, 'video').length >= 5);
      // The first thing on it names the stream; then chunks as the viewer socket's, and nothing else.
      expect(audio.received[0]).toMatchObject({
        kind: 'control',
        message: { type: 'audio-stream', videoId: 'av' },
      });
      expect(audio.controls().flatMap(problemsWithAudioSocketMessage)).toEqual([]);
      expect(audio.received.filter((item) => item.kind === 'unreadable')).toEqual([]);
      for (const chunk of audio.mediaSince(0)) {
        expect(chunk.kind).toBe('audio');
        expectWellFormedHeader(chunk);
      }
      expect(client.mediaSince(selectedAt, 'audio')).toEqual([]);
    } finally {
      audio.close();
    }
    // Closed: the sound comes on the viewer socket again.
    const from = client.skipReceived();
    await client.take(() => client.mediaSince(from, 'audio').length >= 3);
  });

  it('is refused with 403 before the handshake for a token no viewer socket was given, and takes no messages', async () => {
    await expect(DocumentClient.connect(audioSocketUrl(wsUrl, 'A'.repeat(32)))).rejects.toThrow(
      'upgrade answered 403',
    );
    const client = await open();
    const welcome = await client.hello({ audioSocket: true });
    const audio = await DocumentClient.connect(
      audioSocketUrl(wsUrl, (welcome.audioSocket as { token: string }).token),
    );
    audio.send({ type: 'hello', protocolVersion: 1 });
    expect((await audio.closed).code).toBe(1008);
  });
});

describe('Chat, reactions and presence', () => {
  async function joined(videoId = 'vo'): Promise<{ client: DocumentClient; room: ControlMessage }> {
    const client = await open();
    await client.hello();
    client.send({ type: 'select', videoId, media: false });
    return { client, room: await client.control('room') };
  }

  it('acks a chat-send, fans it out to the others, and answers a resend with the stored message', async () => {
    const { client: ann, room } = await joined();
    expect(room).toMatchObject({
      streamId: 'vo',
      role: 'chatter',
      canChat: true,
      canModerate: false,
      reactions: DEFAULT_REACTIONS,
      maxChatLength: 500,
      pinned: null,
    });
    const { client: bob } = await joined();
    ann.send({ type: 'chat-send', clientId: 'c-1', text: '  hello\u0007  ', displayName: 'Ann' });
    const ack = await ann.control('chat-ack');
    expect(ack).toMatchObject({ clientId: 'c-1' });
    expect(ack.message).toMatchObject({ streamId: 'vo', clientId: 'c-1', displayName: 'Ann', text: 'hello' });
    const seen = await bob.control('chat-message');
    expect(seen.message).toEqual(ack.message);
    ann.send({ type: 'chat-send', clientId: 'c-1', text: 'hello', displayName: 'Ann' });
    expect((await ann.control('chat-ack')).message).toEqual(ack.message);
    expect(ann.controls('chat-message')).toEqual([]);

    ann.send({ type: 'chat-send', clientId: 'c-2', text: 'no name' });
    expect(((await ann.control('chat-ack')).message as ControlMessage).displayName).toMatch(
      /^Guest-[0-9a-f]{4}$/i,
    );
    ann.send({ type: 'chat-send', clientId: 'c-3', text: 'long name', displayName: '😀'.repeat(50) });
    expect([
      ...(((await ann.control('chat-ack')).message as ControlMessage).displayName as string),
    ]).toHaveLength(40);

    const { room: later } = await joined();
    expect((later.history as ControlMessage[]).map((m) => m.clientId)).toEqual(['c-1', 'c-2', 'c-3']);
  });

  it('carries the clientId back as ref on every refusal of a chat-send', async () => {
    const early = await open();
    early.send({ type: 'chat-send', clientId: 'before-hello', text: 'hi' });
    expect(await early.error('ONAIR_HELLO_REQUIRED')).toMatchObject({ fatal: false, ref: 'before-hello' });
    await early.hello();
    early.send({ type: 'chat-send', clientId: 'before-room', text: 'hi' });
    expect(await early.error('ONAIR_NOT_JOINED')).toMatchObject({ fatal: false, ref: 'before-room' });

    const { client } = await joined('av');
    const refusals: [Record<string, unknown>, string][] = [
      [{ text: ' \u0007  ' }, 'ONAIR_CHAT_EMPTY'],
      [{ text: 'x'.repeat(501) }, 'ONAIR_CHAT_TOO_LONG'],
      [{ text: 'x'.repeat(4_001) }, 'ONAIR_BAD_MESSAGE'],
      [{ text: 'hi', displayName: 'n'.repeat(161) }, 'ONAIR_BAD_MESSAGE'],
      [{ text: 42 }, 'ONAIR_BAD_MESSAGE'],
      [{}, 'ONAIR_BAD_MESSAGE'],
      [{ text: 'x'.repeat(MAX_CONTROL_MESSAGE_BYTES) }, 'ONAIR_MESSAGE_TOO_LARGE'],
    ];
    for (const [i, [fields, code]] of refusals.entries()) {
      client.send({ type: 'chat-send', clientId: `refused-${i}`, ...fields });
      expect(await client.error(code), code).toMatchObject({ fatal: false, ref: `refused-${i}` });
    }
    // A clientId off its own rule is not one to carry back.
    client.send({ type: 'chat-send', clientId: 'x'.repeat(65), text: 'hi' });
    expect((await client.error('ONAIR_BAD_MESSAGE')).ref).toBeUndefined();
    expect(client.controls('chat-ack')).toEqual([]);

    const { client: chatty } = await joined('av');
    for (let i = 0; i < 6; i++)
      chatty.send({ type: 'chat-send', clientId: `burst-${i}`, text: `message ${i}` });
    expect(await chatty.error('ONAIR_RATE_LIMITED')).toMatchObject({ fatal: false, ref: 'burst-5' });
    expect(chatty.controls('chat-ack').map((a) => a.clientId)).toEqual([
      'burst-0',
      'burst-1',
      'burst-2',
      'burst-3',
      'burst-4',
    ]);

    client.send({ type: 'chat-delete', messageId: 'anything' });
    await client.error('ONAIR_FORBIDDEN');
    client.send({ type: 'chat-pin', messageId: null });
    await client.error('ONAIR_FORBIDDEN');
  });

  it('applies the chat-send field rules to REST chat, with the same codes', async () => {
    const post = (body: Record<string, unknown>) =>
      fetch(`${origin}/live/streams/vo/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then(async (res) => ({ status: res.status, body: await res.json() }));
    for (const [body, code] of [
      [{ text: 'hi', displayName: 'n'.repeat(161) }, 'ONAIR_BAD_MESSAGE'],
      [{ text: 'x'.repeat(4_001) }, 'ONAIR_BAD_MESSAGE'],
      [{ text: 'hi', clientId: 'x'.repeat(65) }, 'ONAIR_BAD_MESSAGE'],
      [{ text: 42 }, 'ONAIR_BAD_MESSAGE'],
    ] as const) {
      expect(await post(body)).toMatchObject({ status: 400, body: { error: { code } } });
    }
    expect(await post({ text: ' \u0007 ' })).toMatchObject({
      status: 400,
      body: { error: { code: 'ONAIR_CHAT_EMPTY' } },
    });
    expect(await post({ text: 'x'.repeat(501) })).toMatchObject({
      body: { error: { code: 'ONAIR_CHAT_TOO_LONG' } },
    });
    const sent = await post({ text: 'from a bot', displayName: 'n'.repeat(160), clientId: 'rest-1' });
    expect(sent.status).toBe(201);
    expect([...sent.body.message.displayName]).toHaveLength(40);
    expect((await post({ text: 'from a bot', clientId: 'rest-1' })).status).toBe(200);
  });

  it('lets a moderator delete and pin: chat-deleted and chat-pinned reach the room', async () => {
    const moderator = await open({}, '?moderator=1');
    await moderator.hello();
    moderator.send({ type: 'select', videoId: 'av', media: false });
    expect(await moderator.control('room')).toMatchObject({
      role: 'moderator',
      canChat: true,
      canModerate: true,
    });
    const { client: viewer } = await joined('av');
    viewer.send({ type: 'chat-send', clientId: 'to-pin', text: 'pin me' });
    const pinned = (await viewer.control('chat-ack')).message as ControlMessage;
    viewer.send({ type: 'chat-send', clientId: 'to-delete', text: 'delete me' });
    const doomed = (await viewer.control('chat-ack')).message as ControlMessage;

    moderator.send({ type: 'chat-pin', messageId: pinned.id });
    for (const client of [moderator, viewer]) {
      expect(await client.control('chat-pinned')).toMatchObject({ streamId: 'av', message: pinned });
    }
    moderator.send({ type: 'chat-delete', messageId: doomed.id });
    for (const client of [moderator, viewer]) {
      expect(await client.control('chat-deleted')).toMatchObject({ streamId: 'av', messageId: doomed.id });
    }
    const { room } = await joined('av');
    expect(room.pinned).toEqual(pinned);
    expect((room.history as ControlMessage[]).map((m) => m.id)).not.toContain(doomed.id);
    moderator.send({ type: 'chat-pin', messageId: null });
    expect(await viewer.control('chat-pinned')).toMatchObject({ streamId: 'av', message: null });
    moderator.send({ type: 'chat-delete', messageId: 'no-such-message' });
    expect(await moderator.error('ONAIR_UNKNOWN_CHAT_MESSAGE')).toMatchObject({ fatal: false });
  });

  it('batches reactions to the room, refuses an emoji off the list, and counts viewers', async () => {
    // The sockets of the tests before have gone (GET <mount>/streams/:id/viewers counts as the socket does).
    const viewersOf = async (id: string) =>
      (await (await fetch(`${origin}/live/streams/${id}/viewers`)).json()).count;
    for (let i = 0; i < 50 && (await viewersOf('av')) > 0; i++) await new Promise((r) => setTimeout(r, 100));
    const { client: ann, room: annRoom } = await joined('av');
    expect(annRoom.viewers).toBe(1);
    const { client: bob, room } = await joined('av');
    expect(room.viewers).toBe(2);
    // Ann hears of Bob joining.
    expect(await ann.control('viewers')).toMatchObject({ streamId: 'av', count: 2 });
    ann.send({ type: 'reaction', emoji: '🔥', x: 0.25, y: 0.75 });
    const batch = {
      type: 'reactions',
      streamId: 'av',
      counts: { '🔥': 1 },
      samples: [{ emoji: '🔥', x: 0.25, y: 0.75 }],
    };
    expect(await bob.control('reactions')).toMatchObject(batch);
    // A room event like any other: the sender's own batch too.
    expect(await ann.control('reactions')).toMatchObject(batch);
    ann.send({ type: 'reaction', emoji: '🍕' });
    expect(await ann.error('ONAIR_BAD_REACTION')).toMatchObject({ fatal: false });
    ann.send({ type: 'reaction', emoji: '🔥', x: 2 });
    await ann.error('ONAIR_BAD_MESSAGE');
  });
});

describe('Errors and close codes', () => {
  it('refuses what it cannot read and keeps the socket open', async () => {
    const client = await open();
    await client.hello();
    client.sendText('not json');
    expect(await client.error('ONAIR_BAD_MESSAGE')).toMatchObject({ fatal: false });
    client.send({ type: 'no-such-type' });
    await client.error('ONAIR_BAD_MESSAGE');
    client.sendBinary(Buffer.from([1, 2, 3]));
    expect(await client.error('ONAIR_BAD_BINARY')).toMatchObject({ fatal: false });
    client.send({ type: 'catalog', padding: 'x'.repeat(MAX_CONTROL_MESSAGE_BYTES) });
    expect(await client.error('ONAIR_MESSAGE_TOO_LARGE')).toMatchObject({ fatal: false });
    // An ack for a frame not in flight is ignored.
    const at = client.skipReceived();
    client.sendBinary(Buffer.from('OAAK\u0000\u0000\u0030\u0039', 'latin1'));
    await client.collect(500);
    expect(client.received.slice(at)).toEqual([]);
    client.send({ type: 'catalog' });
    await client.control('catalog');
  });

  it('rate limits control requests: the newest catalog lands, other requests past the limit get one ONAIR_RATE_LIMITED', async () => {
    const client = await open();
    await client.hello();
    const from = client.skipReceived();
    for (let i = 0; i < 40; i++) client.send({ type: 'catalog', request: i });
    await client.collect(1_500);
    const answers = client.received.slice(from).filter(isControl('catalog'));
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.length).toBeLessThan(40);
    expect(client.received.slice(from).some(isControl('error'))).toBe(false);

    const flooder = await open();
    await flooder.hello();
    const floodFrom = flooder.skipReceived();
    for (let i = 0; i < 40; i++) flooder.sendText('not json');
    await flooder.error('ONAIR_RATE_LIMITED');
    await flooder.collect(300);
    const errors = flooder.received
      .slice(floodFrom)
      .flatMap((r) => (r.kind === 'control' ? [r.message] : []));
    expect(errors.filter((e) => e.code === 'ONAIR_RATE_LIMITED')).toEqual([
      expect.objectContaining({ fatal: false }),
    ]);
    expect(errors.filter((e) => e.code === 'ONAIR_BAD_MESSAGE').length).toBeLessThan(21);
  });

  it('closes with 1009 above MAX_CLIENT_MESSAGE_BYTES and with 1007 on text that is not UTF-8', async () => {
    const big = await open();
    await big.hello();
    big.sendBinary(Buffer.alloc(MAX_CLIENT_MESSAGE_BYTES + 1));
    expect((await big.closed).code).toBe(1009);
    const garbled = await open();
    await garbled.hello();
    garbled.sendText(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]));
    expect((await garbled.closed).code).toBe(1007);
  });

  it('keeps hello first: refuses what comes before it, a second hello, another version, and a late hello', async () => {
    const client = await open();
    client.send({ type: 'catalog' });
    expect(await client.error('ONAIR_HELLO_REQUIRED')).toMatchObject({ fatal: false });
    await client.hello();
    client.send({ type: 'hello', protocolVersion: 1 });
    expect(await client.error('ONAIR_HELLO_REQUIRED')).toMatchObject({ fatal: false });

    const future = await open();
    future.send({ type: 'hello', protocolVersion: 2 });
    expect(await future.error('ONAIR_PROTOCOL_VERSION')).toMatchObject({ fatal: true });
    expect((await future.closed).code).toBe(4001);

    const openedAt = Date.now();
    const silent = await open();
    const deadline = await silent.error('ONAIR_HELLO_REQUIRED', HELLO_TIMEOUT_MS + 10_000);
    expect(deadline.fatal).toBe(true);
    expect(Date.now() - openedAt).toBeGreaterThanOrEqual(HELLO_TIMEOUT_MS - 100);
    expect((await silent.closed).code).toBe(4002);
  });

  it('pings every heartbeatMs; a client that never answers is cut off without a close frame (1006)', async () => {
    const answering = await open();
    await answering.hello();
    const deaf = await open({ autoPong: false });
    await deaf.hello();
    const { code } = await deaf.closed;
    expect(code).toBe(1006);
    expect(deaf.controls('error')).toEqual([]);
    expect(deaf.pings.length).toBeGreaterThanOrEqual(1);
    await answering.collect(HEARTBEAT_MS);
    expect(answering.isOpen).toBe(true);
    expect(answering.pings.length).toBeGreaterThanOrEqual(2);
    const gaps = steps(answering.pings);
    for (const gap of gaps) expect(gap).toBeGreaterThan(HEARTBEAT_MS / 2);
  });

  it('refuses a socket over maxSocketsPerAddress with a fatal ONAIR_RATE_LIMITED, then 4003', async () => {
    const headers = { 'X-Forwarded-For': '203.0.113.7' };
    await open({ headers });
    await open({ headers });
    const third = await open({ headers });
    expect(await third.error('ONAIR_RATE_LIMITED')).toMatchObject({ fatal: true });
    expect((await third.closed).code).toBe(4003);
  });

  it('tells every viewer ONAIR_SERVER_CLOSING, then closes with 1001', async () => {
    const client = await open();
    await client.hello();
    await live.close();
    expect(await client.error('ONAIR_SERVER_CLOSING')).toMatchObject({ fatal: true });
    expect((await client.closed).code).toBe(1001);
  });
});
