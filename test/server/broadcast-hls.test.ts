import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeBroadcastServerMessage, encodeMessage, PROTOCOL_VERSION } from '@onair/protocol';
import { type RtmpIngest, resolveFfmpegTools } from '@onair/server-middleware';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { fixturePath } from '../fixtures/fixture-files';
import { fetchPlaylist, runMediaTool } from './helpers/hls-client';
import { type RunningHost, startHost } from './helpers/host-app';
import { rawGet } from './helpers/http-get';
import { waitFor } from './helpers/wait-for';

// Issue 13: viewers watch a broadcast "exactly like any other channel", HLS and thumbnails included. The HLS
// packager and the thumbnail grab read the broadcast's feed on stdin, each as one more reader beside the decoder.
// Both ingests: ffmpeg publishing over RTMP as OBS would, and WebM over the browser ingest socket as MediaRecorder
// sends it (made live by ffmpeg here).

const WAIT_MS = 30_000;
const HLS = { segmentSeconds: 1, windowSegments: 4, idleTimeoutMs: 5_000 };
/**
 * One keyframe, at the start: every reader attached later gets the feed's cache from 0 s on, and must skip it to
 * start at live. The picture is black for `DARK_SEC`, then white, so a picture shows which side it came from.
 */
const GOP_SEC = 60;
const DARK_SEC = 1;
/** Readers attach once the encoder has sent this much media: well into the white part. */
const ATTACH_AFTER_SEC = DARK_SEC + 3;

interface LiveEncoder {
  child: ChildProcess;
  /** Media seconds the encoder has written so far (its `-progress`). */
  writtenSec(): number;
}

/** A live encoder at real time: black then white, and a tone; H.264/AAC FLV or VP8/Opus WebM; one keyframe. */
function liveEncoder(container: 'flv' | 'webm', output: string): LiveEncoder {
  const codecs =
    container === 'flv'
      ? [
          '-c:v',
          'libx264',
          '-preset',
          'ultrafast',
          '-tune',
          'zerolatency',
          '-sc_threshold',
          '0',
          '-c:a',
          'aac',
        ]
      : ['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '400k', '-c:a', 'libopus'];
  const gop = String(GOP_SEC * 30);
  const picture = `color=c=black:s=320x240:r=30:d=${DARK_SEC}[dark];color=c=white:s=320x240:r=30[light];[dark][light]concat[out0]`;
  const child = spawn(
    resolveFfmpegTools().ffmpeg,
    [
      ...['-hide_banner', '-loglevel', 'error', '-nostats', '-progress', 'pipe:2', '-re'],
      ...['-f', 'lavfi', '-i', picture],
      ...['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000', '-t', '120'],
      ...codecs,
      ...['-g', gop, '-keyint_min', gop],
      ...(container === 'webm' ? ['-f', 'webm', '-live', '1'] : ['-f', 'flv']),
      output,
    ],
    { stdio: ['ignore', container === 'webm' ? 'pipe' : 'ignore', 'pipe'] },
  );
  let writtenUs = 0;
  child.stderr?.setEncoding('utf8').on('data', (text: string) => {
    for (const match of text.matchAll(/^out_time_ms=(\d+)$/gm)) writtenUs = Number(match[1]);
  });
  return { child, writtenSec: () => writtenUs / 1e6 };
}

/** Mean luma of an image, 0…255. */
async function brightness(image: Buffer): Promise<number> {
  const stats = await sharp(image).greyscale().stats();
  return stats.channels[0]?.mean ?? Number.NaN;
}

/** The first picture of an fMP4 segment (its init section before it), as a PNG. */
async function firstPicture(init: Buffer, segment: Buffer): Promise<Buffer> {
  const folder = await mkdtemp(join(tmpdir(), 'onair-broadcast-hls-test-'));
  try {
    const path = join(folder, 'segment.mp4');
    await writeFile(path, Buffer.concat([init, segment]));
    const picture = join(folder, 'first.png');
    const run = await runMediaTool(
      'ffmpeg',
      ['-hide_banner', '-nostdin', '-loglevel', 'error', '-i', path, '-frames:v', '1', picture],
      WAIT_MS,
    );
    expect(run.code, run.stderr).toBe(0);
    return await sharp(picture).toBuffer();
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** The JPEG start and end markers. */
function isJpeg(bytes: Buffer): boolean {
  return (
    bytes.length > 100 &&
    bytes[0] === 0xff &&
    bytes[1] === 0xd8 &&
    bytes.at(-2) === 0xff &&
    bytes.at(-1) === 0xd9
  );
}

describe('HLS and thumbnails of a live broadcast', () => {
  let host: RunningHost;
  let rtmp: RtmpIngest;
  const children: ChildProcess[] = [];
  const sockets: WebSocket[] = [];

  beforeAll(async () => {
    host = await startHost([{ id: 'clip', input: fixturePath('videoOnly') }], { hls: HLS });
    rtmp = await host.live.listenRtmp({ port: 0, host: '127.0.0.1' });
  });

  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    for (const socket of sockets) socket.terminate();
    await host?.close();
  });

  /**
   * The live broadcast `id`, sent by `encoder`: a thumbnail, then its HLS read by ffprobe and ffmpeg.
   * Both attach seconds after the broadcast's only keyframe, so the feed hands them seconds of black before live:
   * they must decode it without showing it (the thumbnail and the HLS start at live, white, on the clock).
   */
  async function checkBroadcastOutputs(id: string, encoder: LiveEncoder): Promise<void> {
    await waitFor(() => encoder.writtenSec() >= ATTACH_AFTER_SEC, WAIT_MS);
    // No viewer decodes it: the thumbnail is a grab from the feed, not a frame of the channel's decoder.
    expect(host.live.stats().channels.find((channel) => channel.id === id)?.viewers ?? 0).toBe(0);
    const thumbnail = await rawGet(host.origin, `/live/videos/${id}/thumbnail.jpg`);
    expect(thumbnail.status, thumbnail.body.toString()).toBe(200);
    expect(thumbnail.headers['content-type']).toBe('image/jpeg');
    expect(isJpeg(thumbnail.body)).toBe(true);
    expect(await brightness(thumbnail.body)).toBeGreaterThan(200);

    const master = await rawGet(host.origin, `/live/hls/${id}/master.m3u8`);
    expect(master.status, master.body.toString()).toBe(200);
    const rendition = /^(\d+p)\/index\.m3u8$/m.exec(master.body.toString())?.[1];
    expect(rendition).toBe('240p');
    const media = `/live/hls/${id}/${rendition}/index.m3u8`;
    const playlist = await fetchPlaylist(host.origin, media);
    expect(playlist.numbers.length).toBeGreaterThan(0);
    const segment = async (file: string) => {
      const response = await rawGet(host.origin, `/live/hls/${id}/${rendition}/${file}`);
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe('video/mp4');
      expect(response.body.length).toBeGreaterThan(500);
      return response.body;
    };
    // The run's first segment starts at live: white, not the black the feed's cache starts with.
    const first = await firstPicture(
      await segment(playlist.initUri ?? ''),
      await segment(`seg-${playlist.numbers[0]}.m4s`),
    );
    expect(await brightness(first)).toBeGreaterThan(200);

    const probe = await runMediaTool(
      'ffprobe',
      ['-v', 'error', '-print_format', 'json', '-show_streams', `${host.origin}/live/hls/${id}/master.m3u8`],
      WAIT_MS,
    );
    expect(probe.code, probe.stderr).toBe(0);
    const streams = (JSON.parse(probe.stdout) as { streams: Record<string, unknown>[] }).streams;
    expect(streams).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ codec_type: 'video', codec_name: 'h264', width: 320, height: 240 }),
        expect.objectContaining({ codec_type: 'audio', codec_name: 'aac' }),
      ]),
    );
    const decode = await runMediaTool(
      'ffmpeg',
      [
        '-hide_banner',
        '-nostdin',
        '-loglevel',
        'error',
        '-i',
        `${host.origin}${media}`,
        '-t',
        '2',
        '-f',
        'null',
        '-',
      ],
      WAIT_MS,
    );
    expect(decode.code, decode.stderr).toBe(0);
    expect(decode.stderr.trim()).toBe('');
    // One run from live on: a broadcast's packager is never restarted to change its level.
    expect(host.live.stats().hls.find((packager) => packager.id === id)).toMatchObject({
      state: 'running',
      restarts: 0,
      output: { changes: 0 },
    });
  }

  it('packages an RTMP broadcast as HLS and grabs its thumbnail from the feed', async () => {
    const { stream, ingest } = host.live.streams.create({ id: 'obs', title: 'From OBS' });
    const encoder = liveEncoder('flv', `rtmp://127.0.0.1:${rtmp.port}/live/${ingest.key}`);
    children.push(encoder.child);
    await waitFor(() => host.live.streams.get(stream.id)?.status === 'live', WAIT_MS);
    await checkBroadcastOutputs(stream.id, encoder);
    host.live.streams.end(stream.id);
  }, 120_000);

  it('packages a browser broadcast (WebM over the ingest socket) as HLS and grabs its thumbnail', async () => {
    const { stream, ingest } = host.live.streams.create({ id: 'cam', title: 'Camera' });
    const socket = new WebSocket(host.wsUrl.replace(/\/ws$/, '/ingest'));
    sockets.push(socket);
    const welcomed = new Promise<void>((resolve, reject) => {
      socket.on('message', (data, isBinary) => {
        if (isBinary) return;
        const decoded = decodeBroadcastServerMessage(data.toString());
        if (decoded.ok && decoded.value.type === 'broadcast-welcome') resolve();
        else reject(new Error(`unexpected: ${data.toString()}`));
      });
    });
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    socket.send(
      encodeMessage({
        type: 'broadcast-hello',
        protocolVersion: PROTOCOL_VERSION,
        streamId: stream.id,
        key: ingest.key,
        mimeType: 'video/webm;codecs=vp8,opus',
      }),
    );
    await welcomed;
    const encoder = liveEncoder('webm', 'pipe:1');
    children.push(encoder.child);
    encoder.child.stdout?.on('data', (chunk: Buffer) => {
      if (socket.readyState === WebSocket.OPEN) socket.send(chunk);
    });
    await checkBroadcastOutputs(stream.id, encoder);
    host.live.streams.end(stream.id);
  }, 120_000);
});
