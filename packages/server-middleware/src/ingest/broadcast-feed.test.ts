import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BroadcastFeed } from './broadcast-feed';
import { broadcastMedia, chunksOf } from './broadcast-media.fixture';
import { FlvSplitter } from './flv-splitter';
import { WebmSplitter } from './webm-splitter';

const webm = broadcastMedia('webm', 3, 30);
const flv = broadcastMedia('flv', 3, 30);

/** A destination that takes everything at once. */
function collector(): { stream: PassThrough; bytes: () => Buffer } {
  const stream = new PassThrough({ highWaterMark: 1 << 30 });
  const parts: Buffer[] = [];
  stream.on('data', (part: Buffer) => parts.push(part));
  return { stream, bytes: () => Buffer.concat(parts) };
}

/** What a reader was written, split again: its keyframes and media times. */
function readBack(container: 'webm' | 'flv', bytes: Buffer) {
  const pieces = (container === 'webm' ? new WebmSplitter() : new FlvSplitter()).push(bytes);
  const media = pieces.flatMap((piece) => (piece.kind === 'media' ? [piece] : []));
  return { pieces, media, firstIsKey: media[0]?.keyframe ?? false };
}

describe.each([
  ['webm', webm],
  ['flv', flv],
] as const)('BroadcastFeed (%s)', (container, media) => {
  it('gives a reader attached mid-stream the init, then the latest keyframe on, then the live media', () => {
    const feed = new BroadcastFeed({ container });
    const chunks = chunksOf(media, 2000);
    const half = Math.floor(chunks.length * 0.6);
    for (const chunk of chunks.slice(0, half)) feed.push(chunk);
    const late = collector();
    const reader = feed.attach(late.stream);
    for (const chunk of chunks.slice(half)) feed.push(chunk);
    feed.end();

    const read = readBack(container, late.bytes());
    expect(read.pieces[0]?.kind).toBe('init');
    expect(read.firstIsKey).toBe(true);
    // It started at the latest keyframe before it attached, not at the first one, and kept up to the end.
    const firstTime = read.media[0]?.timeMs ?? -1;
    expect(firstTime).toBeGreaterThan(0);
    expect(reader.skipMs).toBeGreaterThanOrEqual(0);
    expect(reader.skipMs).toBeLessThan(1000);
    const all = readBack(container, Buffer.concat(chunks));
    expect(read.media.at(-1)?.timeMs).toBe(all.media.at(-1)?.timeMs);
  });

  it('ends its readers when the broadcast ends, and a reader attached after that at once', async () => {
    const feed = new BroadcastFeed({ container });
    for (const chunk of chunksOf(media, 5000)) feed.push(chunk);
    const early = collector();
    feed.attach(early.stream);
    feed.end();
    await new Promise((resolve) => early.stream.once('end', resolve));
    const after = collector();
    feed.attach(after.stream);
    await new Promise((resolve) => after.stream.once('end', resolve));
    expect(after.bytes().length).toBe(0);
  });

  it('starts over on restart: old readers end, new ones wait for the new init', () => {
    const feed = new BroadcastFeed({ container });
    for (const chunk of chunksOf(media, 5000).slice(0, 10)) feed.push(chunk);
    const old = collector();
    feed.attach(old.stream);
    feed.restart();
    expect(old.stream.writableEnded).toBe(true);
    expect(feed.state).toBe('waiting');
    const fresh = collector();
    feed.attach(fresh.stream);
    for (const chunk of chunksOf(media, 5000)) feed.push(chunk);
    const read = readBack(container, fresh.bytes());
    expect(read.pieces[0]?.kind).toBe('init');
    expect(read.firstIsKey).toBe(true);
    expect(feed.stats().restarts).toBe(1);
  });

  it('refuses bytes that are not the container and waits for a new stream', () => {
    const feed = new BroadcastFeed({ container });
    expect(() => feed.push(Buffer.from('this is not a video stream at all'))).toThrow(/not/);
    expect(feed.state).toBe('waiting');
    for (const chunk of chunksOf(media, 5000)) feed.push(chunk);
    expect(feed.state).toBe('live');
  });

  it('drops a GOP cache that outgrows its bound, and new readers start at the next keyframe', () => {
    const feed = new BroadcastFeed({ container, maxCacheBytes: 4096 });
    for (const chunk of chunksOf(media, 3000)) feed.push(chunk);
    expect(feed.stats().cacheDrops).toBeGreaterThan(0);
    expect(feed.stats().cacheBytes).toBeLessThanOrEqual(4096 + 64 * 1024);
  });

  it('jumps a reader that falls more media time behind than its bound once it has caught up, whatever the bytes', async () => {
    const stalledReaderSkips = async (maxReaderBacklogMs: number, readsFirst: boolean) => {
      const feed = new BroadcastFeed({ container, maxReaderBacklogBytes: 1 << 30, maxReaderBacklogMs });
      const chunks = chunksOf(media, 2000);
      let reading = readsFirst;
      // Reads (a tick per write) while `reading`, then never finishes a write again: a decoder that stopped.
      const destination = new Writable({
        highWaterMark: 1,
        write(_chunk, _encoding, done) {
          if (reading) setImmediate(done);
        },
      });
      const reader = feed.attach(destination);
      for (const [index, chunk] of chunks.entries()) {
        if (index === Math.floor(chunks.length / 4)) reading = false;
        feed.push(chunk);
        await new Promise((resolve) => setImmediate(resolve));
      }
      return reader.skips;
    };
    // Most of 3 s of media behind a reader that stopped: over a 300 ms bound, under a minute's.
    expect(await stalledReaderSkips(300, true)).toBeGreaterThan(0);
    expect(await stalledReaderSkips(60_000, true)).toBe(0);
    // A reader that never read (a child still starting) is bounded by bytes only.
    expect(await stalledReaderSkips(300, false)).toBe(0);
  });

  it('lets a reader that stops reading fall at most its bound behind, then jumps it to a keyframe', async () => {
    const maxReaderBacklogBytes = 20_000;
    const feed = new BroadcastFeed({ container, maxReaderBacklogBytes });
    const parts: Buffer[] = [];
    let release: (() => void) | null = null;
    // Takes one write, then holds the next until released: a decoder that stalls.
    const stalled = new Writable({
      highWaterMark: 1,
      write(chunk: Buffer, _encoding, done) {
        parts.push(chunk);
        if (parts.length === 1) done();
        else release = done;
      },
    });
    const reader = feed.attach(stalled);
    const chunks = chunksOf(media, 2000);
    for (const chunk of chunks) {
      feed.push(chunk);
      expect(reader.pendingBytes).toBeLessThanOrEqual(maxReaderBacklogBytes);
    }
    expect(reader.skips).toBeGreaterThan(0);
    // Once it reads again it gets whole units: what it was written is still a well-formed stream.
    const done = new Promise((resolve) => stalled.once('finish', resolve));
    feed.end();
    const flush = () => {
      const next = release;
      release = null;
      next?.();
    };
    const timer = setInterval(flush, 1);
    await done;
    clearInterval(timer);
    const read = readBack(container, Buffer.concat(parts));
    expect(read.pieces[0]?.kind).toBe('init');
    expect(read.media.length).toBeGreaterThan(0);
  });
});

describe('BroadcastFeed observers and relayed pieces', () => {
  it('tells an observer every piece, restart and end, and a feed filled with those pieces reads the same', () => {
    const origin = new BroadcastFeed({ container: 'webm' });
    const relayed = new BroadcastFeed({ container: 'webm' });
    const heard: string[] = [];
    origin.observe({
      piece: (piece) => {
        heard.push(piece.kind);
        relayed.pushPiece(piece);
      },
      restart: () => heard.push('restart'),
      end: () => heard.push('end'),
    });
    const direct = collector();
    const copy = collector();
    origin.attach(direct.stream);
    relayed.attach(copy.stream);
    for (const chunk of chunksOf(webm, 2000)) origin.push(chunk);

    expect(copy.bytes().equals(direct.bytes())).toBe(true);
    expect(heard[0]).toBe('init');
    expect(heard.filter((kind) => kind === 'media').length).toBe(readBack('webm', webm).media.length);
    origin.restart();
    origin.end();
    expect(heard.slice(-2)).toEqual(['restart', 'end']);
  });
});
