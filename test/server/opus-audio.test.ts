import { spawnSync } from 'node:child_process';
import { decodeOpusPackets, PROTOCOL_VERSION } from '@onair/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath } from '../fixtures/fixture-files';
import { findMediaTool } from '../fixtures/media-tools';
import { type RunningHost, startHost } from './helpers/host-app';
import { oggOpusFile, tocSamples } from './helpers/ogg-opus-file';
import { type ReceivedMedia, TestViewer } from './helpers/test-viewer';

const AV = 'av';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Decodes Opus packets with ffmpeg; returns the PCM (s16le stereo, 48 kHz). */
function decodeWithFfmpeg(packets: Uint8Array[]): Buffer {
  const result = spawnSync(
    findMediaTool('ffmpeg'),
    [
      '-hide_banner',
      '-loglevel',
      'error',
      '-f',
      'ogg',
      '-i',
      'pipe:0',
      '-f',
      's16le',
      '-ac',
      '2',
      '-ar',
      '48000',
      'pipe:1',
    ],
    { input: oggOpusFile(packets, 2, tocSamples), maxBuffer: 64 * 1024 * 1024 },
  );
  if (result.status !== 0) throw new Error(`ffmpeg could not decode: ${result.stderr.toString()}`);
  return result.stdout;
}

function packetsOf(message: ReceivedMedia): Uint8Array[] {
  const packets = decodeOpusPackets(message.payload);
  if (!packets.ok) throw new Error(packets.error.message);
  return packets.value;
}

const durationMs = (message: ReceivedMedia) =>
  packetsOf(message).reduce((sum, packet) => sum + tocSamples(packet), 0) / 48;

/** Bits per second of the audio messages (header and payload) a viewer received. */
function audioKbps(audio: ReceivedMedia[]): number {
  const bytes = audio.reduce((sum, message) => sum + message.bytes.length, 0);
  // The last message lasts about as long as the one before it (messages follow each other on the clock).
  const lastMs = audio.at(-1)!.timestamp - audio.at(-2)!.timestamp;
  const spanMs = audio.at(-1)!.timestamp - audio[0]!.timestamp + lastMs;
  return (bytes * 8) / spanMs;
}

async function opusViewer(url: string, audioCodecs: ('opus' | 'pcm')[]): Promise<TestViewer> {
  const viewer = await TestViewer.connect(url, { hello: false });
  viewer.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION, client: 'integration-test', audioCodecs });
  await viewer.next('welcome');
  return viewer;
}

describe('Opus audio', () => {
  let host: RunningHost;
  const viewers: TestViewer[] = [];
  let opus: TestViewer;
  let pcm: TestViewer;

  beforeAll(async () => {
    host = await startHost([{ id: AV, input: fixturePath('audioVideo') }], {
      idleTimeoutMs: 300,
      restartDelayMs: 100,
    });
  });

  afterAll(async () => {
    for (const viewer of viewers) viewer.close();
    await host?.close();
  });

  it('sends a viewer that asked for Opus decodable Opus on the channel clock, and PCM to an old client beside it', async () => {
    opus = await opusViewer(host.wsUrl, ['opus', 'pcm']);
    // A client from before Opus: its hello names no codecs.
    pcm = await TestViewer.connect(host.wsUrl);
    viewers.push(opus, pcm);
    opus.send({ type: 'select', videoId: AV });
    pcm.send({ type: 'select', videoId: AV });
    expect((await opus.next('stream', 0)).audio).toEqual({
      codec: 'opus',
      sampleRate: 48_000,
      channels: 2,
      chunkMs: 40,
    });
    expect((await pcm.next('stream', 0)).audio).toEqual({
      codec: 'pcm',
      sampleRate: 48_000,
      channels: 2,
      sampleFormat: 's16le',
      chunkMs: 40,
    });

    // Past the encoder's start, then three seconds of both.
    await opus.waitFor(() => opus.audio.length >= 3, 'the first Opus messages');
    const opusFrom = opus.audio.length;
    const pcmFrom = pcm.audio.length;
    await sleep(3_000);
    const opusAudio = opus.audio.slice(opusFrom);
    const pcmAudio = pcm.audio.slice(pcmFrom);

    // The PCM viewer's audio is as before: a chunk (40 ms) of s16le stereo a message.
    expect(pcmAudio.length).toBeGreaterThan(20);
    for (const chunk of pcmAudio) expect(chunk.payload.byteLength).toBe(7_680);

    // Opus messages of at most a chunk (40 ms) rounded up to a packet, each back to back with the next on the channel clock.
    expect(opusAudio.length).toBeGreaterThan(20);
    for (const message of opusAudio) {
      expect(message.rungOrChannels).toBe(2);
      expect(durationMs(message)).toBeGreaterThanOrEqual(20);
      expect(durationMs(message)).toBeLessThanOrEqual(60);
    }
    for (let i = 1; i < opusAudio.length; i++) {
      const previous = opusAudio[i - 1]!;
      expect(opusAudio[i]!.timestamp - previous.timestamp).toBeCloseTo(durationMs(previous), 1);
      expect(opusAudio[i]!.sequence).toBe(previous.sequence + 1);
    }
    // The timestamps advance at real time, and on the same clock as the PCM viewer's.
    const clockSpan = opusAudio.at(-1)!.timestamp - opusAudio[0]!.timestamp;
    const wallSpan = opusAudio.at(-1)!.receivedAt - opusAudio[0]!.receivedAt;
    expect(Math.abs(clockSpan - wallSpan)).toBeLessThan(300);
    expect(Math.abs(opusAudio.at(-1)!.timestamp - pcmAudio.at(-1)!.timestamp)).toBeLessThan(300);

    // The packets decode, to as many samples as they say, and to the fixture's 440 Hz tone.
    const packets = opusAudio.flatMap(packetsOf);
    const pcmOut = decodeWithFfmpeg(packets);
    const samples = pcmOut.length / 4;
    expect(samples).toBe(packets.reduce((sum, packet) => sum + tocSamples(packet), 0));
    const left = Array.from({ length: samples }, (_, i) => pcmOut.readInt16LE(i * 4));
    const rms = Math.sqrt(left.reduce((sum, value) => sum + value * value, 0) / samples);
    expect(rms).toBeGreaterThan(1000);
    const crossings = left.slice(1).filter((value, i) => left[i]! < 0 !== value < 0).length;
    expect(crossings / 2 / (samples / 48_000)).toBeCloseTo(440, -1);

    const opusKbps = audioKbps(opusAudio);
    const pcmKbps = audioKbps(pcmAudio);
    // The epoch is 0: timestamps are Unix ms, so arrival minus timestamp is how late a message's first sample is.
    const lateMs = (audio: ReceivedMedia[]) =>
      audio.map((message) => message.receivedAt - message.timestamp).sort((a, b) => a - b)[audio.length >> 1];
    console.info(
      `audio on the wire: Opus ${opusKbps.toFixed(1)} kbit/s, PCM ${pcmKbps.toFixed(1)} kbit/s; ` +
        `median arrival after the first sample's time: Opus ${lateMs(opusAudio)} ms, PCM ${lateMs(pcmAudio)} ms; ` +
        `Opus messages ${opusAudio.length}, packets ${packets.length}`,
    );
    expect(opusKbps).toBeLessThan(pcmKbps / 10);

    const channel = host.live.stats().channels.find((entry) => entry.id === AV);
    expect(channel?.opus).toMatchObject({ state: 'running', listeners: 1, running: true, restarts: 0 });
  });

  it('restarts a killed Opus encoder: Opus comes back on the channel clock, PCM never notices', async () => {
    const opusStats = () => host.live.stats().channels.find((entry) => entry.id === AV)!.opus;
    const killed = opusStats().pid!;
    const pcmFrom = pcm.audio.length;
    // SIGKILL, as the OOM killer would: no goodbye on the pipe.
    process.kill(killed, 'SIGKILL');
    await opus.waitFor(() => opusStats().restarts === 1, 'the encoder to be seen dead');
    await opus.waitFor(() => opusStats().state === 'running' && opusStats().pid !== killed, 'a new encoder');
    const opusFrom = opus.audio.length;
    await opus.waitFor(() => opus.audio.length >= opusFrom + 5, 'Opus from the new encoder');
    const fresh = opus.audio.slice(opusFrom);
    expect(Math.abs(fresh.at(-1)!.timestamp - pcm.audio.at(-1)!.timestamp)).toBeLessThan(300);
    expect(decodeWithFfmpeg(fresh.flatMap(packetsOf)).length).toBeGreaterThan(0);
    // The PCM viewer's chunks went on back to back through it all.
    const pcmAudio = pcm.audio.slice(pcmFrom);
    expect(pcmAudio.length).toBeGreaterThan(3);
    for (let i = 1; i < pcmAudio.length; i++) {
      expect(pcmAudio[i]!.sequence).toBe(pcmAudio[i - 1]!.sequence + 1);
      expect(pcmAudio[i]!.timestamp - pcmAudio[i - 1]!.timestamp).toBeCloseTo(40, 2);
    }
  });

  it('stops the Opus encoder once no viewer wants Opus, while PCM goes on', async () => {
    opus.close();
    await pcm.waitFor(
      () => host.live.stats().channels.find((entry) => entry.id === AV)?.opus.state === 'idle',
      'the Opus encoder to stop',
    );
    expect(host.live.stats().channels[0]?.opus).toMatchObject({ listeners: 0, pid: null, running: false });
    const before = pcm.audio.length;
    await pcm.waitFor(() => pcm.audio.length >= before + 3, 'PCM after the Opus viewer left');
  });
});
