import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RelayedFeedSink, RelayedPiece } from '../hub/broadcast-sharing';
import { BroadcastFeed } from '../ingest/broadcast-feed';
import { broadcastMedia, chunksOf } from '../ingest/broadcast-media.fixture';
import { WebmSplitter } from '../ingest/webm-splitter';
import { RelayedFeed } from './relayed-feed';

const webm = broadcastMedia('webm', 2, 15);

/** An origin feed whose pieces go to whoever reads; `reads` counts the reads open. */
function origin() {
  const feed = new BroadcastFeed({ container: 'webm' });
  const sinks = new Set<RelayedFeedSink>();
  feed.observe({
    piece: (piece) => {
      for (const sink of sinks) sink.piece(piece);
    },
    restart: () => {
      for (const sink of sinks) sink.restart();
    },
    end: () => {
      for (const sink of sinks) sink.end();
    },
  });
  const read = (sink: RelayedFeedSink) => {
    sinks.add(sink);
    return () => sinks.delete(sink);
  };
  return { feed, read, reads: () => sinks.size };
}

function destination() {
  const stream = new PassThrough({ highWaterMark: 1 << 30 });
  const parts: Buffer[] = [];
  stream.on('data', (part: Buffer) => parts.push(part));
  return { stream, bytes: () => Buffer.concat(parts) };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('RelayedFeed', () => {
  it('reads nothing until a reader attaches, and stops reading a linger after the last one leaves', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate'] });
    const source = origin();
    const relayed = new RelayedFeed('webm', source.read, 1_000);
    expect(source.reads()).toBe(0);

    const first = destination();
    const reader = relayed.attach(first.stream);
    expect(source.reads()).toBe(1);
    expect(relayed.isReading).toBe(true);
    for (const chunk of chunksOf(webm, 4000)) source.feed.push(chunk);
    expect(first.bytes().length).toBeGreaterThan(0);

    reader.close();
    await vi.advanceTimersByTimeAsync(500);
    // A reader coming back within the linger keeps the reading (and finds the GOP here).
    const second = destination();
    const again = relayed.attach(second.stream);
    expect(second.bytes().length).toBeGreaterThan(0);
    again.close();
    await vi.advanceTimersByTimeAsync(999);
    expect(source.reads()).toBe(1);
    await vi.advanceTimersByTimeAsync(10);
    expect(source.reads()).toBe(0);
    expect(relayed.isReading).toBe(false);
  });

  it('starts a reader at the next keyframe after the init, as the hub reads from the live end', () => {
    const source = origin();
    const inits: RelayedPiece[] = [];
    source.feed.observe({
      piece: (piece) => {
        if (piece.kind === 'init') inits.push(piece);
      },
      restart: () => {},
      end: () => {},
    });
    const chunks = chunksOf(webm, 3000);
    const half = Math.floor(chunks.length / 2);
    for (const chunk of chunks.slice(0, half)) source.feed.push(chunk);
    // As the hub does: the init kept beside the relayed stream first, then what comes from now on.
    const relayed = new RelayedFeed('webm', (sink) => {
      for (const piece of inits) sink.piece(piece);
      return source.read(sink);
    });
    const out = destination();
    expect(relayed.attach(out.stream).skipMs).toBe(0);
    for (const chunk of chunks.slice(half)) source.feed.push(chunk);

    const pieces = new WebmSplitter().push(out.bytes());
    expect(pieces[0]).toMatchObject({ kind: 'init', slot: 'container' });
    const media = pieces.filter((piece) => piece.kind === 'media');
    expect(media.length).toBeGreaterThan(10);
    expect(media[0]).toMatchObject({ keyframe: true });
    relayed.end();
  });

  it('ends its readers when the stream ends, and ends any later reader at once', async () => {
    const source = origin();
    const relayed = new RelayedFeed('webm', source.read);
    const out = destination();
    relayed.attach(out.stream);
    const finished = new Promise((resolve) => out.stream.once('finish', resolve));
    relayed.end();
    await finished;
    expect(source.reads()).toBe(0);
    const late = destination();
    const ended = new Promise((resolve) => late.stream.once('finish', resolve));
    relayed.attach(late.stream);
    await ended;
    expect(source.reads()).toBe(0);
  });
});
