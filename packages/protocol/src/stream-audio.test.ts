import { describe, expect, it } from 'vitest';
import { decodeOpusPackets, encodeOpusPackets, pickAudioCodec } from './audio-codecs';
import { decodeClientMessage, decodeServerMessage } from './json-codec';

const stream = (audio: unknown) =>
  JSON.stringify({
    type: 'stream',
    videoId: 'a',
    width: 16,
    height: 16,
    fps: 30,
    viewerFps: 30,
    audio,
    channelTime: 0,
    position: null,
    duration: null,
    rung: 0,
  });

describe('hello.audioCodecs', () => {
  it('accepts the codecs a client can decode, preferred first', () => {
    const decoded = decodeClientMessage('{"type":"hello","protocolVersion":1,"audioCodecs":["opus","pcm"]}');
    expect(decoded.ok && decoded.value.type === 'hello' && decoded.value.audioCodecs).toEqual([
      'opus',
      'pcm',
    ]);
  });

  it('is optional: a hello from before Opus still decodes', () => {
    const decoded = decodeClientMessage('{"type":"hello","protocolVersion":1}');
    expect(decoded.ok && decoded.value.type === 'hello' && decoded.value.audioCodecs).toBeUndefined();
  });

  it('refuses a codec the wire does not have, and an empty list', () => {
    expect(decodeClientMessage('{"type":"hello","protocolVersion":1,"audioCodecs":["aac"]}').ok).toBe(false);
    expect(decodeClientMessage('{"type":"hello","protocolVersion":1,"audioCodecs":[]}').ok).toBe(false);
  });
});

describe('stream.audio.codec', () => {
  it('reads an Opus stream', () => {
    const decoded = decodeServerMessage(
      stream({ codec: 'opus', sampleRate: 48000, channels: 2, chunkMs: 100 }),
    );
    expect(decoded.ok && decoded.value.type === 'stream' && decoded.value.audio?.codec).toBe('opus');
  });

  it('reads a stream without a codec (a server from before Opus) as PCM', () => {
    const decoded = decodeServerMessage(
      stream({ sampleRate: 48000, channels: 2, sampleFormat: 's16le', chunkMs: 100 }),
    );
    expect(decoded.ok && decoded.value.type === 'stream' && decoded.value.audio?.codec).toBe('pcm');
  });
});

describe('pickAudioCodec', () => {
  it("takes the client's first codec the server serves, PCM for a client that names none", () => {
    expect(pickAudioCodec(['opus', 'pcm'], ['opus', 'pcm'])).toBe('opus');
    expect(pickAudioCodec(['pcm', 'opus'], ['opus', 'pcm'])).toBe('pcm');
    expect(pickAudioCodec(['opus', 'pcm'], ['pcm'])).toBe('pcm');
    expect(pickAudioCodec(undefined, ['opus', 'pcm'])).toBe('pcm');
    expect(pickAudioCodec(['opus'], ['pcm'])).toBeNull();
  });
});

describe('Opus payload', () => {
  it('round-trips packets, each after its u16 big-endian length', () => {
    const payload = encodeOpusPackets([new Uint8Array([1, 2, 3]), new Uint8Array(300)]);
    expect([...payload.subarray(0, 5)]).toEqual([0, 3, 1, 2, 3]);
    expect([...payload.subarray(5, 7)]).toEqual([1, 44]);
    const decoded = decodeOpusPackets(payload);
    expect(decoded.ok && decoded.value.map((packet) => packet.byteLength)).toEqual([3, 300]);
  });

  it('gives an error value for a payload cut inside a packet', () => {
    expect(decodeOpusPackets(new Uint8Array([0, 5, 1])).ok).toBe(false);
    expect(decodeOpusPackets(new Uint8Array([0])).ok).toBe(false);
  });
});
