import { type AudioCodec, DEFAULT_AUDIO_CHUNK_MS, decodeMediaHeader } from '@onair/protocol';
import { resolveFfmpegTools } from '@onair/server-middleware';
import { afterEach, describe, expect, it } from 'vitest';
import { Channel, type ChannelViewer } from '../../packages/server-middleware/src/channel/channel';
import { BroadcastFeed } from '../../packages/server-middleware/src/ingest/broadcast-feed';
import { broadcastMedia } from '../../packages/server-middleware/src/ingest/broadcast-media.fixture';
import type { EncodedFrame } from '../../packages/server-middleware/src/ladder/frames';
import { encodeJpeg } from '../../packages/server-middleware/src/ladder/jpeg-encoder';
import { resolveOptions } from '../../packages/server-middleware/src/options/live-stream-options';
import { broadcastSource } from '../../packages/server-middleware/src/source/video-source';
import { waitFor } from './helpers/wait-for';

const JPEG_START = Buffer.from([0xff, 0xd8, 0xff]);
const CHUNK_MS = 250;

/** A viewer that counts what it is sent. */
function countingViewer() {
  const seen = { frames: 0, jpegs: 0, audio: 0 };
  const viewer: ChannelViewer = {
    receiveVideo(frame: EncodedFrame) {
      seen.frames++;
      if (frame.message.includes(JPEG_START)) seen.jpegs++;
    },
    receiveAudio(_message: Buffer, _codec: AudioCodec) {
      seen.audio++;
    },
    channelReady() {},
    channelFailed() {},
  };
  return { viewer, seen };
}

/**
 * Pushes `media` into `feed` in chunks of `CHUNK_MS` of media, one every `CHUNK_MS`: a broadcaster in real time.
 * `stall`: from that chunk on, `ticks` chunks are held back and then pushed at once (a broadcaster's network
 * hiccup).
 */
function broadcastInRealTime(
  feed: BroadcastFeed,
  media: Buffer,
  seconds: number,
  stall?: { atChunk: number; ticks: number },
): () => void {
  const chunkBytes = Math.ceil(media.length / ((seconds * 1000) / CHUNK_MS));
  let offset = 0;
  let tick = 0;
  const timer = setInterval(() => {
    if (offset >= media.length) {
      clearInterval(timer);
      return;
    }
    tick++;
    if (stall && tick > stall.atChunk && tick <= stall.atChunk + stall.ticks) return;
    const chunks = stall && tick === stall.atChunk + stall.ticks + 1 ? stall.ticks + 1 : 1;
    feed.push(media.subarray(offset, offset + chunks * chunkBytes));
    offset += chunks * chunkBytes;
  }, CHUNK_MS);
  return () => clearInterval(timer);
}

describe('a broadcast channel (WebM VP8/Opus on a feed, as MediaRecorder sends it)', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('decodes frames and audio from the feed, and resumes from the feed when its decoder is killed', async () => {
    const seconds = 40;
    const media = broadcastMedia('webm', seconds, 30);
    const feed = new BroadcastFeed({ container: 'webm' });
    const stop = broadcastInRealTime(feed, media, seconds);
    cleanups.push(() => {
      stop();
      feed.end();
    });
    const channel = new Channel(broadcastSource({ id: 'live-cam', title: 'Live cam', feed }), null, {
      tools: resolveFfmpegTools(),
      options: resolveOptions({ logger: false, restartDelayMs: 200 }),
      encode: encodeJpeg,
    });
    cleanups.push(() => channel.close());
    const { viewer, seen } = countingViewer();
    channel.join(viewer, 0);

    await waitFor(
      () => seen.jpegs >= 30 && seen.audio >= 10,
      30_000,
      () => JSON.stringify(seen),
    );
    expect(channel.format).toMatchObject({ width: 320, height: 240, hasAudio: true, durationSec: null });

    const pid = channel.stats().decoder.pid;
    expect(pid).not.toBeNull();
    process.kill(pid as number, 'SIGKILL');
    await waitFor(
      () => channel.stats().restarts >= 1,
      20_000,
      () => JSON.stringify(channel.stats()),
    );
    const after = { ...seen };
    await waitFor(
      () => seen.jpegs >= after.jpegs + 30 && seen.audio >= after.audio + 10,
      30_000,
      () => JSON.stringify({ seen, stats: channel.stats() }),
    );
    expect(channel.stats().decoder.pid).not.toBe(pid);
    expect(feed.stats().readers).toBe(1);
  });

  it('keeps its media on the clock when the broadcaster stalls and then catches up: what follows is not stamped ahead', async () => {
    const seconds = 20;
    const media = broadcastMedia('webm', seconds, 30);
    const feed = new BroadcastFeed({ container: 'webm' });
    // At 6 s the broadcaster's media stops for a second, then that second arrives at once.
    const stop = broadcastInRealTime(feed, media, seconds, { atChunk: 24, ticks: 4 });
    cleanups.push(() => {
      stop();
      feed.end();
    });
    const channel = new Channel(broadcastSource({ id: 'live-cam', title: 'Live cam', feed }), null, {
      tools: resolveFfmpegTools(),
      options: resolveOptions({ logger: false }),
      encode: encodeJpeg,
    });
    cleanups.push(() => channel.close());
    // How far ahead of the clock each message is stamped, as it reaches the viewer.
    const leads = { video: [] as number[], audio: [] as number[] };
    const viewer: ChannelViewer = {
      receiveVideo(frame: EncodedFrame) {
        leads.video.push(frame.timestamp - Date.now());
      },
      receiveAudio(message: Buffer) {
        const header = decodeMediaHeader(message);
        if (header.ok) leads.audio.push(header.value.timestamp - Date.now());
      },
      channelReady() {},
      channelFailed() {},
    };
    channel.join(viewer, 0);
    await waitFor(
      // 12 s of sound: well past the stall.
      () => leads.video.length >= 100 && leads.audio.length >= 12_000 / DEFAULT_AUDIO_CHUNK_MS,
      30_000,
      () => JSON.stringify({ frames: leads.video.length, chunks: leads.audio.length }),
    );
    // The server's bound: 300 ms ahead (the broadcaster's chunks of 250 ms arrive whole). Before it, the timeline
    // jumped forward in the stall and the second that came at once then ran ahead of the clock for good.
    expect(Math.max(...leads.video)).toBeLessThanOrEqual(300);
    expect(Math.max(...leads.audio)).toBeLessThanOrEqual(300);
  });
});
