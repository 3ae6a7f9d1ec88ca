import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  AUDIO_FORMAT,
  type AudioCodec,
  decodeClientMessage,
  encodeMediaMessage,
  encodeMessage,
  encodeOpusPackets,
  type HelloMessage,
  PROTOCOL_VERSION,
  type ServerMessage,
} from '@onair/protocol';
import { resolveFfmpegTools } from '@onair/server-middleware';
import { WebSocketServer } from 'ws';

// A stand-in OnAir server for the player's audio tests: it speaks just enough of the protocol (welcome, catalog,
// stream, media) and sends Opus or PCM made by the npm ffmpeg, as the client's hello asks. The server branch that
// encodes Opus is not merged yet; this checks the player alone against PROTOCOL.md's Opus framing.

const run = promisify(execFile);
const CHUNK_MS = 100;
/** How often the stand-in looks at the clock for the chunks now due. */
const TICK_MS = 10;
const OPUS_PACKET_MS = 20;
const CHANNELS = 2;

/** Packets of an Ogg stream, in order (RFC 3533: pages of lacing values; 255 means the packet goes on). */
export function oggPackets(ogg: Uint8Array): Uint8Array[] {
  const packets: Uint8Array[] = [];
  let pending: Uint8Array[] = [];
  let offset = 0;
  while (offset + 27 <= ogg.byteLength) {
    if (String.fromCharCode(...ogg.subarray(offset, offset + 4)) !== 'OggS')
      throw new Error('not an Ogg page');
    const segments = ogg[offset + 26]!;
    const table = ogg.subarray(offset + 27, offset + 27 + segments);
    let at = offset + 27 + segments;
    for (const lacing of table) {
      pending.push(ogg.subarray(at, at + lacing));
      at += lacing;
      if (lacing < 255) {
        packets.push(Buffer.concat(pending));
        pending = [];
      }
    }
    offset = at;
  }
  return packets;
}

/** 10 s of a 440 Hz tone as 20 ms Opus packets (the Ogg headers OpusHead and OpusTags left out). */
async function opusTone(ffmpeg: string): Promise<Uint8Array[]> {
  const { stdout } = await run(
    ffmpeg,
    [
      ...['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000'],
      ...['-t', '10', '-ac', String(CHANNELS), '-c:a', 'libopus', '-b:a', '64k', '-frame_duration', '20'],
      ...['-f', 'ogg', 'pipe:1'],
    ],
    { encoding: 'buffer', maxBuffer: 16 * 1024 * 1024 },
  );
  const packets = oggPackets(new Uint8Array(stdout));
  return packets.filter((packet) => !isHeader(packet, 'OpusHead') && !isHeader(packet, 'OpusTags'));
}

function isHeader(packet: Uint8Array, magic: string): boolean {
  return Buffer.from(packet.subarray(0, 8)).toString('latin1') === magic;
}

/** 10 s of the same tone as PCM s16le, 48 kHz stereo. */
async function pcmTone(ffmpeg: string): Promise<Uint8Array> {
  const { stdout } = await run(
    ffmpeg,
    [
      ...['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000'],
      ...['-t', '10', '-ac', String(CHANNELS), '-f', 's16le', 'pipe:1'],
    ],
    { encoding: 'buffer', maxBuffer: 16 * 1024 * 1024 },
  );
  return new Uint8Array(stdout);
}

async function jpegFrame(ffmpeg: string): Promise<Uint8Array> {
  const { stdout } = await run(
    ffmpeg,
    [
      ...['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=10'],
      ...['-frames:v', '1', '-c:v', 'mjpeg', '-f', 'image2pipe', 'pipe:1'],
    ],
    { encoding: 'buffer', maxBuffer: 4 * 1024 * 1024 },
  );
  return new Uint8Array(stdout);
}

export interface AudioTestServer {
  origin: string;
  port: number;
  /** Every hello the players sent. */
  hellos: HelloMessage[];
  /**
   * Holds every socket's media for `ms`, then sends it all at once, as a socket that backed up does: the audio of
   * the stall arrives late, in a burst.
   */
  stall(ms: number): void;
  close(): Promise<void>;
}

/** Serves `pageDir` over http and the stand-in OnAir socket at `/live/ws`, on 127.0.0.1. */
export async function startAudioTestServer(pageDir: string): Promise<AudioTestServer> {
  const { ffmpeg } = resolveFfmpegTools();
  const [opus, pcm, jpeg] = await Promise.all([opusTone(ffmpeg), pcmTone(ffmpeg), jpegFrame(ffmpeg)]);
  const hellos: HelloMessage[] = [];
  const http = createServer(async (request, response) => {
    const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
    const file = path.join(pageDir, path.normalize(pathname === '/' ? 'index.html' : pathname.slice(1)));
    const body = file.startsWith(pageDir) && existsSync(file) ? await readFile(file).catch(() => null) : null;
    if (!body) {
      response.writeHead(404).end();
      return;
    }
    const type = file.endsWith('.html')
      ? 'text/html'
      : file.endsWith('.css')
        ? 'text/css'
        : 'text/javascript';
    response.writeHead(200, { 'content-type': `${type}; charset=utf-8` }).end(body);
  });
  const sockets = new WebSocketServer({ server: http, path: '/live/ws' });
  const timers = new Set<ReturnType<typeof setInterval>>();
  const link = { stalledUntil: 0 };
  sockets.on('connection', (socket) => {
    let codec: AudioCodec = 'pcm';
    const send = (message: ServerMessage) => socket.send(encodeMessage(message));
    socket.on('message', (data, isBinary) => {
      if (isBinary) return; // acks
      const decoded = decodeClientMessage(String(data));
      if (!decoded.ok) return;
      const message = decoded.value;
      if (message.type === 'hello') {
        hellos.push(message);
        codec = message.audioCodecs?.[0] === 'opus' ? 'opus' : 'pcm';
        send({
          type: 'welcome',
          protocolVersion: PROTOCOL_VERSION,
          ladder: [70],
          feedbackIntervalMs: 500,
          ackWindow: 16,
          maxClientMessageBytes: 65_536,
        });
      } else if (message.type === 'catalog') {
        send({
          type: 'catalog',
          videos: [
            {
              id: 'tone',
              title: 'Tone',
              duration: null,
              width: 320,
              height: 180,
              fps: 10,
              hasAudio: true,
              thumbnailUrl: '/live/videos/tone/thumbnail.jpg',
            },
          ],
        });
      } else if (message.type === 'select') {
        const audio =
          codec === 'opus'
            ? { codec, sampleRate: 48_000, channels: CHANNELS, chunkMs: CHUNK_MS }
            : { codec, ...AUDIO_FORMAT, channels: CHANNELS, chunkMs: CHUNK_MS };
        send({
          type: 'stream',
          videoId: message.videoId,
          width: 320,
          height: 180,
          fps: 10,
          viewerFps: 10,
          audio,
          channelTime: Date.now(),
          position: null,
          duration: null,
          rung: 0,
          rungs: [{ width: 320, height: 180, quality: 70, kbps: 400, label: '180p' }],
        });
        timers.add(streamMedia(socket, codec, { opus, pcm, jpeg }, link));
      }
    });
    socket.on('close', () => {
      for (const timer of timers) clearInterval(timer);
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    hellos,
    stall: (ms) => {
      link.stalledUntil = Date.now() + ms;
    },
    close: async () => {
      for (const timer of timers) clearInterval(timer);
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      await new Promise((resolve) => http.close(resolve));
    },
  };
}

/** Every 100 ms of the wall clock: one audio message (five 20 ms Opus packets, or 100 ms of PCM) and one JPEG. */
function streamMedia(
  socket: import('ws').WebSocket,
  codec: AudioCodec,
  media: { opus: Uint8Array[]; pcm: Uint8Array; jpeg: Uint8Array },
  link: { stalledUntil: number },
): ReturnType<typeof setInterval> {
  let backlog: Uint8Array[] = [];
  const send = (message: Uint8Array) => {
    if (Date.now() < link.stalledUntil) {
      backlog.push(message);
      return;
    }
    for (const held of backlog) socket.send(held);
    backlog = [];
    socket.send(message);
  };
  const perChunk = CHUNK_MS / OPUS_PACKET_MS;
  const pcmChunkBytes = (AUDIO_FORMAT.sampleRate * CHUNK_MS * CHANNELS * 2) / 1000;
  const start = Date.now();
  let chunk = 0;
  const sendChunk = () => {
    const timestamp = start + chunk * CHUNK_MS;
    let payload: Uint8Array;
    if (codec === 'opus') {
      const first = (chunk * perChunk) % (media.opus.length - perChunk);
      payload = encodeOpusPackets(media.opus.slice(first, first + perChunk));
    } else {
      const first = (chunk * pcmChunkBytes) % (media.pcm.byteLength - pcmChunkBytes);
      payload = media.pcm.subarray(first, first + pcmChunkBytes);
    }
    send(
      encodeMediaMessage({ kind: 'audio', timestamp, sequence: chunk, rungOrChannels: CHANNELS, payload }),
    );
    send(
      encodeMediaMessage({
        kind: 'video',
        timestamp,
        sequence: chunk,
        rungOrChannels: 0,
        payload: media.jpeg,
      }),
    );
    chunk++;
  };
  const timer = setInterval(() => {
    if (socket.readyState !== socket.OPEN) return;
    // Timestamps run on the channel clock (epoch 0: wall time), each chunk sent when the wall clock reaches it:
    // counting timer ticks instead would let the stream fall behind the clock as the timer runs late on a busy
    // machine, and the player would rightly measure itself behind live.
    while (start + chunk * CHUNK_MS <= Date.now()) sendChunk();
  }, TICK_MS);
  return timer;
}
