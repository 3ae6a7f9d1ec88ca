import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ClientMessage } from './client-messages';
import { MAX_CONTROL_MESSAGE_BYTES } from './constants';
import { DecodeErrorCode, ErrorCode } from './error-codes';
import {
  decodeAudioSocketMessage,
  decodeClientMessage,
  decodeServerMessage,
  encodeMessage,
} from './json-codec';
import type { ServerMessage } from './server-messages';

const videoId = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,20}$/);
const fraction = fc.double({ min: 0, max: 1, noNaN: true });

const clientMessage: fc.Arbitrary<ClientMessage> = fc.oneof(
  fc.record(
    {
      type: fc.constant('hello' as const),
      protocolVersion: fc.integer(),
      client: fc.string({ maxLength: 100 }),
      audioCodecs: fc.array(fc.constantFrom('opus' as const, 'pcm' as const), { minLength: 1, maxLength: 2 }),
      audioSocket: fc.boolean(),
    },
    { requiredKeys: ['type', 'protocolVersion'] },
  ),
  fc.record(
    {
      type: fc.constant('viewer-limits' as const),
      maxFps: fc.option(fc.integer({ min: 1, max: 120 }), { nil: null }),
      maxHeight: fc.option(fc.integer({ min: 16, max: 4320 }), { nil: null }),
    },
    { requiredKeys: ['type'] },
  ),
  fc.record({ type: fc.constant('catalog' as const) }),
  fc.record(
    {
      type: fc.constant('select' as const),
      videoId,
      videoFps: fc.integer({ min: 1, max: 120 }),
      media: fc.boolean(),
    },
    { requiredKeys: ['type', 'videoId'] },
  ),
  fc.record({
    type: fc.constant('quality' as const),
    rung: fc.oneof(fc.constant('auto' as const), fc.nat({ max: 255 })),
  }),
  fc.record(
    {
      type: fc.constant('feedback' as const),
      bufferLevel: fraction,
      bufferMs: fc.nat({ max: 10_000 }),
      networkQuality: fc.constantFrom('good' as const, 'fair' as const, 'poor' as const, 'unknown' as const),
      timestamp: fc.nat(),
      droppedFrames: fc.nat({ max: 1000 }),
      lateFrames: fc.nat({ max: 1000 }),
      decodeMs: fc.double({ min: 0, max: 100, noNaN: true }),
      renderDroppedFrames: fc.nat({ max: 1000 }),
      pageStallMs: fc.double({ min: 0, max: 10_000, noNaN: true }),
    },
    {
      requiredKeys: [
        'type',
        'bufferLevel',
        'bufferMs',
        'networkQuality',
        'timestamp',
        'droppedFrames',
        'lateFrames',
        'decodeMs',
      ],
    },
  ),
);

const rungInfo = fc.record({
  width: fc.nat({ max: 8000 }),
  height: fc.nat({ max: 8000 }),
  quality: fc.integer({ min: 1, max: 100 }),
  kbps: fc.double({ min: 0, max: 1e6, noNaN: true }),
  label: fc.string({ maxLength: 40 }),
});

const streamAudio = fc.oneof(
  fc.record({
    codec: fc.constant('opus' as const),
    sampleRate: fc.constant(48_000),
    channels: fc.integer({ min: 1, max: 8 }),
    chunkMs: fc.integer({ min: 10, max: 1000 }),
  }),
  fc.record({
    codec: fc.constant('pcm' as const),
    sampleRate: fc.integer({ min: 8000, max: 96_000 }),
    channels: fc.integer({ min: 1, max: 8 }),
    sampleFormat: fc.constant('s16le' as const),
    chunkMs: fc.integer({ min: 10, max: 1000 }),
  }),
);

const serverMessage: fc.Arbitrary<ServerMessage> = fc.oneof(
  fc.record({
    type: fc.constant('stream' as const),
    videoId,
    width: fc.nat({ max: 8000 }),
    height: fc.nat({ max: 8000 }),
    fps: fc.double({ min: 0, max: 240, noNaN: true }),
    viewerFps: fc.double({ min: 0, max: 240, noNaN: true }),
    audio: fc.option(streamAudio, { nil: null }),
    // JSON has no -0: it reads back as 0.
    channelTime: fc.double({ noNaN: true, noDefaultInfinity: true }).map((time) => time + 0),
    position: fc.option(fc.double({ min: 0, max: 1e6, noNaN: true }), { nil: null }),
    duration: fc.option(fc.double({ min: 0, max: 1e6, noNaN: true }), { nil: null }),
    rung: fc.nat({ max: 255 }),
    rungs: fc.array(rungInfo, { maxLength: 8 }),
  }),
  fc.record({
    type: fc.constant('welcome' as const),
    protocolVersion: fc.nat(),
    ladder: fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 8 }),
    feedbackIntervalMs: fc.integer({ min: 50, max: 5000 }),
    ackWindow: fc.integer({ min: 1, max: 100 }),
    maxClientMessageBytes: fc.integer({ min: 1, max: 1 << 20 }),
    audioSocket: fc.option(fc.record({ token: fc.stringMatching(/^[A-Za-z0-9_-]{16,64}$/) }), {
      nil: undefined,
    }),
  }),
  fc.record(
    {
      type: fc.constant('quality-changed' as const),
      rung: fc.nat({ max: 255 }),
      quality: fc.integer({ min: 1, max: 100 }),
      mode: fc.constantFrom('auto' as const, 'locked' as const),
      reason: fc.constantFrom(
        'initial' as const,
        'buffer-low' as const,
        'buffer-high' as const,
        'drops' as const,
        'throughput' as const,
        'cpu' as const,
      ),
      label: fc.string({ maxLength: 40 }),
      width: fc.nat({ max: 8000 }),
      height: fc.nat({ max: 8000 }),
      viewerFps: fc.double({ min: 0, max: 240, noNaN: true }),
    },
    { requiredKeys: ['type', 'rung', 'quality', 'mode', 'reason'] },
  ),
  fc.record({
    type: fc.constant('error' as const),
    code: fc.constantFrom(...Object.values(ErrorCode)),
    message: fc.string({ maxLength: 200 }),
    fatal: fc.boolean(),
  }),
  fc.record({
    type: fc.constant('catalog' as const),
    videos: fc.array(
      fc.record({
        id: videoId,
        title: fc.string({ maxLength: 50 }),
        duration: fc.option(fc.double({ min: 0, max: 1e6, noNaN: true }), { nil: null }),
        width: fc.nat({ max: 8000 }),
        height: fc.nat({ max: 8000 }),
        fps: fc.double({ min: 0, max: 240, noNaN: true }),
        hasAudio: fc.boolean(),
        thumbnailUrl: fc.string({ maxLength: 50 }),
      }),
      { maxLength: 4 },
    ),
  }),
);

describe('control messages', () => {
  it('round-trips every client message', () => {
    fc.assert(
      fc.property(clientMessage, (message) => {
        expect(decodeClientMessage(encodeMessage(message))).toEqual({ ok: true, value: message });
      }),
    );
  });

  it('round-trips every server message', () => {
    fc.assert(
      fc.property(serverMessage, (message) => {
        expect(decodeServerMessage(encodeMessage(message))).toEqual({ ok: true, value: message });
      }),
    );
  });

  it('returns an error value, never throws, on random text and random JSON', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.anything().map((x) => JSON.stringify(x) ?? ''),
        ),
        (text) => {
          const client = decodeClientMessage(text);
          const server = decodeServerMessage(text);
          expect(typeof client.ok).toBe('boolean');
          expect(typeof server.ok).toBe('boolean');
        },
      ),
    );
  });

  it('refuses every truncation of a valid message', () => {
    fc.assert(
      fc.property(clientMessage, fc.nat(), (message, cut) => {
        const text = encodeMessage(message);
        expect(decodeClientMessage(text.slice(0, cut % text.length)).ok).toBe(false);
      }),
    );
  });

  it('says why: not JSON, unknown type, wrong field type, too large, not text', () => {
    const codes = [
      decodeClientMessage('{"type":'),
      decodeClientMessage('{"type":"launch-missiles"}'),
      decodeClientMessage('{"type":"select","videoId":42}'),
      decodeClientMessage(`{"type":"hello","client":"${'x'.repeat(MAX_CONTROL_MESSAGE_BYTES)}"}`),
      decodeClientMessage(new Uint8Array([1, 2])),
    ].map((r) => (r.ok ? 'ok' : r.error.code));
    expect(codes).toEqual([
      DecodeErrorCode.NotJson,
      DecodeErrorCode.Invalid,
      DecodeErrorCode.Invalid,
      DecodeErrorCode.TooLarge,
      DecodeErrorCode.Invalid,
    ]);
  });

  it('refuses video ids that could escape a URL path segment', () => {
    for (const videoId of ['../etc/passwd', '..', 'a/b', '', 'a b', '%2e%2e', 'x'.repeat(200)]) {
      expect(decodeClientMessage(JSON.stringify({ type: 'select', videoId })).ok).toBe(false);
    }
  });

  it("keeps select's media flag, leaves it out when absent, and refuses a non-boolean", () => {
    const roomOnly = decodeClientMessage('{"type":"select","videoId":"a","media":false}');
    expect(roomOnly.ok && roomOnly.value).toEqual({ type: 'select', videoId: 'a', media: false });
    const plain = decodeClientMessage('{"type":"select","videoId":"a"}');
    expect(plain.ok && 'media' in plain.value).toBe(false);
    expect(decodeClientMessage('{"type":"select","videoId":"a","media":"no"}').ok).toBe(false);
    expect(decodeClientMessage('{"type":"select","videoId":"a","media":0}').ok).toBe(false);
  });

  it('refuses feedback with out-of-range numbers', () => {
    const base = {
      type: 'feedback',
      bufferLevel: 0.5,
      bufferMs: 100,
      networkQuality: 'good',
      timestamp: 1,
      droppedFrames: 0,
      lateFrames: 0,
      decodeMs: 2,
    };
    expect(decodeClientMessage(JSON.stringify(base)).ok).toBe(true);
    for (const patch of [
      { bufferLevel: -1 },
      { droppedFrames: 1.5 },
      { decodeMs: 'fast' },
      { networkQuality: 'superb' },
    ]) {
      expect(decodeClientMessage(JSON.stringify({ ...base, ...patch })).ok).toBe(false);
    }
  });

  it('reads a stream from a server older than Opus (no codec, no rungs needed for audio) as PCM', () => {
    const old = {
      type: 'stream',
      videoId: 'a',
      width: 854,
      height: 480,
      fps: 30,
      viewerFps: 30,
      audio: { sampleRate: 48_000, channels: 2, sampleFormat: 's16le', chunkMs: 100 },
      channelTime: 1,
      position: null,
      duration: null,
      rung: 0,
      rungs: [],
    };
    const decoded = decodeServerMessage(JSON.stringify(old));
    expect(decoded.ok && decoded.value.type === 'stream' && decoded.value.audio?.codec).toBe('pcm');
    const opusWithPcmFields = { ...old, audio: { ...old.audio, codec: 'opus', sampleFormat: undefined } };
    const opus = decodeServerMessage(JSON.stringify(opusWithPcmFields));
    expect(opus.ok && opus.value.type === 'stream' && opus.value.audio?.codec).toBe('opus');
    expect(decodeServerMessage(JSON.stringify({ ...old, audio: { ...old.audio, codec: 'aac' } })).ok).toBe(
      false,
    );
  });

  it('refuses an unknown audio codec in hello and out-of-range viewer limits', () => {
    expect(decodeClientMessage('{"type":"hello","protocolVersion":1,"audioCodecs":["opus","pcm"]}').ok).toBe(
      true,
    );
    expect(decodeClientMessage('{"type":"hello","protocolVersion":1,"audioCodecs":["mp3"]}').ok).toBe(false);
    expect(decodeClientMessage('{"type":"hello","protocolVersion":1,"audioCodecs":[]}').ok).toBe(false);
    expect(decodeClientMessage('{"type":"viewer-limits"}').ok).toBe(true);
    expect(decodeClientMessage('{"type":"viewer-limits","maxFps":null,"maxHeight":360}').ok).toBe(true);
    expect(decodeClientMessage('{"type":"viewer-limits","maxFps":0}').ok).toBe(false);
    expect(decodeClientMessage('{"type":"viewer-limits","maxHeight":360.5}').ok).toBe(false);
    expect(decodeClientMessage('{"type":"viewer-limits","maxHeight":8}').ok).toBe(false);
  });

  it('drops unknown extra fields instead of passing them on', () => {
    const decoded = decodeClientMessage('{"type":"catalog","__proto__":{"polluted":true},"extra":1}');
    expect(decoded).toEqual({ ok: true, value: { type: 'catalog' } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('the audio socket’s messages', () => {
  it('reads audio-stream and error, and refuses anything else or a bad video id', () => {
    expect(decodeAudioSocketMessage('{"type":"audio-stream","videoId":"news"}')).toEqual({
      ok: true,
      value: { type: 'audio-stream', videoId: 'news' },
    });
    const error = { type: 'error', code: ErrorCode.ServerClosing, message: 'bye', fatal: true };
    expect(decodeAudioSocketMessage(JSON.stringify(error)).ok).toBe(true);
    expect(decodeAudioSocketMessage('{"type":"stream","videoId":"news"}').ok).toBe(false);
    expect(decodeAudioSocketMessage('{"type":"audio-stream","videoId":"../etc"}').ok).toBe(false);
    expect(decodeAudioSocketMessage(new Uint8Array(4)).ok).toBe(false);
  });

  it('refuses a welcome whose audio socket token could break out of a query', () => {
    const welcome = {
      type: 'welcome',
      protocolVersion: 1,
      ladder: [40],
      feedbackIntervalMs: 500,
      ackWindow: 8,
      maxClientMessageBytes: 65_536,
    };
    expect(
      decodeServerMessage(JSON.stringify({ ...welcome, audioSocket: { token: 'a'.repeat(32) } })).ok,
    ).toBe(true);
    expect(
      decodeServerMessage(JSON.stringify({ ...welcome, audioSocket: { token: 'a&b=c'.repeat(8) } })).ok,
    ).toBe(false);
  });
});
