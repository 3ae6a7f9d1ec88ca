import { type ChildProcess, spawn } from 'node:child_process';
import { connect } from 'node:net';
import type { AudioCodec } from '@onair/protocol';
import { resolveFfmpegTools } from '@onair/server-middleware';
import { afterEach, describe, expect, it } from 'vitest';
import { Channel, type ChannelViewer } from '../../packages/server-middleware/src/channel/channel';
import type { BroadcastFeed } from '../../packages/server-middleware/src/ingest/broadcast-feed';
import { type RtmpIngest, rtmpIngest } from '../../packages/server-middleware/src/ingest/rtmp-ingest';
import type { EncodedFrame } from '../../packages/server-middleware/src/ladder/frames';
import { encodeJpeg } from '../../packages/server-middleware/src/ladder/jpeg-encoder';
import { resolveOptions } from '../../packages/server-middleware/src/options/live-stream-options';
import { broadcastSource } from '../../packages/server-middleware/src/source/video-source';
import { waitFor } from './helpers/wait-for';

const JPEG_START = Buffer.from([0xff, 0xd8, 0xff]);
const KEYS: Record<string, string> = { 'key-for-a-7f3e9c': 'stream-a', 'key-for-b-41d02b': 'stream-b' };

/** ffmpeg publishing a test picture and tone over RTMP in real time, as OBS would (H.264 + AAC in FLV). */
function publish(url: string): { child: ChildProcess; exited: Promise<number | null>; stderr: () => string } {
  const child = spawn(
    resolveFfmpegTools().ffmpeg,
    [
      '-hide_banner',
      '-loglevel',
      'error',
      '-re',
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=320x240:rate=30',
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=440:sample_rate=48000',
      '-t',
      '120',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-tune',
      'zerolatency',
      '-g',
      '30',
      '-c:a',
      'aac',
      '-f',
      'flv',
      url,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
  });
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { child, exited, stderr: () => stderr };
}

/** A channel decoding `feed`, and what its one viewer has been sent. */
function watch(streamId: string, feed: BroadcastFeed) {
  const seen = { jpegs: 0, audio: 0 };
  const viewer: ChannelViewer = {
    receiveVideo(frame: EncodedFrame) {
      if (frame.message.includes(JPEG_START)) seen.jpegs++;
    },
    receiveAudio(_message: Buffer, _codec: AudioCodec) {
      seen.audio++;
    },
    channelReady() {},
    channelFailed() {},
  };
  const channel = new Channel(broadcastSource({ id: streamId, title: streamId, feed }), null, {
    tools: resolveFfmpegTools(),
    options: resolveOptions({ logger: false, restartDelayMs: 200 }),
    encode: encodeJpeg,
  });
  channel.join(viewer, 0);
  return { channel, seen };
}

describe('RTMP ingest (ffmpeg publishing as OBS does: rtmp://host:port/live + stream key)', () => {
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function startIngest() {
    const warnings: string[] = [];
    const published: { streamId: string; feed: BroadcastFeed }[] = [];
    const unpublished: string[] = [];
    const ingest: RtmpIngest = await rtmpIngest({
      port: 0,
      host: '127.0.0.1',
      authorize: (key) => KEYS[key] ?? null,
      onPublish: (streamId, feed) => published.push({ streamId, feed }),
      onUnpublish: (streamId) => unpublished.push(streamId),
      logger: { warn: (message) => warnings.push(message), info: () => {} },
    });
    cleanups.push(() => ingest.close());
    return { ingest, warnings, published, unpublished };
  }

  function publishTo(ingest: RtmpIngest, key: string) {
    const pusher = publish(`rtmp://127.0.0.1:${ingest.port}/live/${key}`);
    cleanups.push(async () => {
      pusher.child.kill('SIGKILL');
      await pusher.exited;
    });
    return pusher;
  }

  it('takes two broadcasts at once, each into its own feed, and a channel decodes each', async () => {
    const { ingest, published, unpublished } = await startIngest();
    publishTo(ingest, 'key-for-a-7f3e9c');
    publishTo(ingest, 'key-for-b-41d02b');
    await waitFor(
      () => published.length === 2,
      20_000,
      () => JSON.stringify(ingest.stats()),
    );
    expect(published.map((entry) => entry.streamId).sort()).toEqual(['stream-a', 'stream-b']);

    const watched = published.map(({ streamId, feed }) => {
      const watching = watch(streamId, feed);
      cleanups.push(() => watching.channel.close());
      return watching;
    });
    await waitFor(
      () => watched.every(({ seen }) => seen.jpegs >= 30 && seen.audio >= 10),
      45_000,
      () => JSON.stringify(watched.map(({ seen, channel }) => ({ seen, stats: channel.stats() }))),
    );
    for (const { channel } of watched) {
      expect(channel.format).toMatchObject({ width: 320, height: 240, hasAudio: true });
    }
    expect(ingest.stats().publishing.sort()).toEqual(['stream-a', 'stream-b']);

    // The stream ends: its publisher is cut off and the host is told.
    ingest.end('stream-a');
    await waitFor(() => unpublished.includes('stream-a'), 10_000);
    expect(ingest.stats().publishing).toEqual(['stream-b']);
  });

  it('refuses a wrong stream key: the publisher is told and disconnected, nothing is published, the log says why', async () => {
    const { ingest, warnings, published } = await startIngest();
    const pusher = publishTo(ingest, 'not-a-key');
    const code = await pusher.exited;
    expect(code).not.toBe(0);
    expect(published).toEqual([]);
    expect(warnings.join('\n')).toMatch(/stream key refused/);
    expect(warnings.join('\n')).not.toContain('not-a-key');
    await waitFor(() => ingest.stats().connections === 0, 10_000);
  });

  it('closes a connection that sends bytes that are not RTMP, or too many before publishing', async () => {
    const { ingest, warnings } = await startIngest();
    const socket = connect(ingest.port, '127.0.0.1');
    socket.on('error', () => {});
    // Reads what the server answers, or the socket would never see the server's end.
    socket.resume();
    const closed = new Promise((resolve) => socket.once('close', resolve));
    // A valid RTMP version byte, then 200 KB that is not a handshake followed by commands.
    socket.write(Buffer.concat([Buffer.from([3]), Buffer.alloc(200 * 1024, 0x41)]));
    await closed;
    await waitFor(() => ingest.stats().connections === 0, 10_000);
    expect(warnings.filter((warning) => /without publishing|not RTMP/.test(warning))).toHaveLength(1);
  });
});
