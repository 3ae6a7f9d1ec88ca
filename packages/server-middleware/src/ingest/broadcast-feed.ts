import type { Writable } from 'node:stream';
import type { LiveFeed } from '../source/live-feed';
import { ContainerError, type ContainerPiece, type ContainerSplitter } from './container-splitter';
import { BroadcastFeedReader, type FeedUnit, type ReaderBounds } from './feed-reader';
import { FlvSplitter } from './flv-splitter';
import { WebmSplitter } from './webm-splitter';

/** The containers a broadcast arrives in: WebM from a browser's MediaRecorder, FLV from RTMP. */
export type BroadcastContainer = 'webm' | 'flv';

export interface BroadcastFeedOptions {
  container: BroadcastContainer;
  /**
   * Most bytes kept from the latest keyframe on (the GOP cache a new reader starts from). A stream whose keyframes
   * are further apart than this drops its cache: new readers then start at the next keyframe. Default 8 MiB.
   */
  maxCacheBytes?: number;
  /** Most bytes a reader may fall behind before it jumps to the next keyframe. Default 4 MiB. */
  maxReaderBacklogBytes?: number;
  /**
   * Most media time a reader that has caught up once may fall behind before it jumps to the next keyframe: a
   * decoder slower than the broadcast stays near live, dropping GOPs, instead of drifting behind. Default: none
   * (off): a skip leaves the decoder's sound behind the clock, which the player drops as stale (a CI run's
   * broadcast viewer heard nothing); on once sound and picture are moved to live together.
   */
  maxReaderBacklogMs?: number;
  /** Largest element or tag accepted; larger is a broken or hostile stream. Default 8 MiB. */
  maxElementBytes?: number;
}

export interface BroadcastFeedStats {
  state: BroadcastFeedState;
  bytesIn: number;
  readers: number;
  /** Bytes of the init and of the GOP cache now. */
  initBytes: number;
  cacheBytes: number;
  /** Media time the GOP cache spans, ms. */
  cacheMs: number;
  /** Times the GOP cache outgrew `maxCacheBytes` and was dropped. */
  cacheDrops: number;
  /** Times a reader fell too far behind and jumped to the next keyframe (readers still attached). */
  readerSkips: number;
  /** Times the stream started over (a new publish, a new recording, bytes that were not the container). */
  restarts: number;
}

/**
 * Hears what a feed takes, piece by piece, as its readers get it: how a broadcast is relayed to other server
 * instances (`instances/feed-relay.ts`). Called synchronously; an observer must not throw.
 */
export interface FeedObserver {
  piece(piece: ContainerPiece): void;
  /** The pieces that follow are a new stream (`restart()`). */
  restart(): void;
  end(): void;
}

/** `waiting`: no init yet. `live`: init known (a reader gets media from the next keyframe at worst). `ended`. */
export type BroadcastFeedState = 'waiting' | 'live' | 'ended';

const DEFAULT_CACHE_BYTES = 8 * 1024 * 1024;
const DEFAULT_READER_BACKLOG_BYTES = 4 * 1024 * 1024;
const DEFAULT_READER_BACKLOG_MS = Number.POSITIVE_INFINITY;
const DEFAULT_ELEMENT_BYTES = 8 * 1024 * 1024;

interface CachedUnit extends FeedUnit {
  timeMs: number;
}

/**
 * A broadcast's compressed stream held in memory for its readers (the channel's decoder, and later the HLS
 * packager, a recorder, the Redis publisher): the container's init bytes and the media since the latest
 * keyframe, so a reader attached at any time (a decoder started or restarted) gets init, then the latest keyframe
 * and what followed, then the live media. Bounded: the cache by `maxCacheBytes`, each reader by
 * `maxReaderBacklogBytes` (see `BroadcastFeedReader`), each element by `maxElementBytes`.
 *
 * The publisher `push`es bytes as they come, in chunks of any size. A new publish of the same broadcast calls
 * `restart()` first: its bytes are a new stream, and the readers of the old one are ended so their decoders start
 * over on the new init.
 */
export class BroadcastFeed implements LiveFeed {
  readonly container: BroadcastContainer;
  private splitter: ContainerSplitter;
  private readonly slots = new Map<string, Buffer>();
  private cache: CachedUnit[] = [];
  private cacheBytes = 0;
  private newestTimeMs: number | null = null;
  private readonly readers = new Set<BroadcastFeedReader>();
  private readonly observers = new Set<FeedObserver>();
  private stateValue: BroadcastFeedState = 'waiting';
  private bytesIn = 0;
  private cacheDrops = 0;
  private restarts = 0;
  private readonly maxCacheBytes: number;
  private readonly readerBounds: ReaderBounds;
  private readonly maxElementBytes: number;

  constructor(options: BroadcastFeedOptions) {
    this.container = options.container;
    this.maxCacheBytes = options.maxCacheBytes ?? DEFAULT_CACHE_BYTES;
    this.readerBounds = {
      maxBacklogBytes: options.maxReaderBacklogBytes ?? DEFAULT_READER_BACKLOG_BYTES,
      maxBacklogMs: options.maxReaderBacklogMs ?? DEFAULT_READER_BACKLOG_MS,
    };
    this.maxElementBytes = options.maxElementBytes ?? DEFAULT_ELEMENT_BYTES;
    this.splitter = this.newSplitter();
  }

  get state(): BroadcastFeedState {
    return this.stateValue;
  }

  /**
   * Takes the next bytes of the stream. Throws `ContainerError` when they are not the container (or an element
   * is too large): the feed has then started over (readers ended, init dropped) and waits for a new stream, so
   * the publisher's connection should be closed.
   */
  push(chunk: Buffer): void {
    if (this.stateValue === 'ended') return;
    this.bytesIn += chunk.length;
    let pieces: ContainerPiece[];
    try {
      pieces = this.splitter.push(chunk);
    } catch (error) {
      this.restart();
      throw error instanceof ContainerError ? error : new ContainerError(String(error));
    }
    for (const piece of pieces) this.pushPiece(piece);
  }

  /**
   * Takes a piece already cut from the container: what a feed relayed from another instance is filled with
   * (the pieces its origin's splitter cut, in order).
   */
  pushPiece(piece: ContainerPiece): void {
    if (this.stateValue === 'ended') return;
    if (piece.kind === 'init') this.init(piece.slot, piece.bytes);
    else this.media({ bytes: piece.bytes, keyframe: piece.keyframe, timeMs: piece.timeMs });
    for (const observer of this.observers) observer.piece(piece);
  }

  /** `observer` hears every piece from now on, and the restarts and the end; returns what stops it. */
  observe(observer: FeedObserver): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  /** The bytes that follow start a new stream (a new publish): readers of the old one end, the init is dropped. */
  restart(): void {
    if (this.stateValue === 'ended') return;
    this.restarts++;
    this.splitter = this.newSplitter();
    this.forget();
    this.stateValue = 'waiting';
    for (const observer of this.observers) observer.restart();
  }

  /** The broadcast is over: every reader's destination ends once what it was sent has been written. */
  end(): void {
    if (this.stateValue === 'ended') return;
    this.stateValue = 'ended';
    this.forget();
    for (const observer of [...this.observers]) observer.end();
    this.observers.clear();
  }

  attach(destination: Writable): BroadcastFeedReader {
    const init = this.initBytes();
    const startsAtCache = init !== null && this.cache.length > 0;
    const skipMs =
      startsAtCache && this.newestTimeMs !== null
        ? Math.max(0, this.newestTimeMs - (this.cache[0] as CachedUnit).timeMs)
        : 0;
    const reader = new BroadcastFeedReader(destination, skipMs, this.readerBounds, startsAtCache, (closed) =>
      this.readers.delete(closed),
    );
    if (this.stateValue === 'ended') {
      reader.end();
      return reader;
    }
    this.readers.add(reader);
    if (init !== null) {
      reader.sendInit(init);
      for (const unit of this.cache) reader.send(unit);
    }
    return reader;
  }

  stats(): BroadcastFeedStats {
    const first = this.cache[0];
    let readerSkips = 0;
    for (const reader of this.readers) readerSkips += reader.skips;
    return {
      state: this.stateValue,
      bytesIn: this.bytesIn,
      readers: this.readers.size,
      initBytes: this.initBytes()?.length ?? 0,
      cacheBytes: this.cacheBytes,
      cacheMs: first && this.newestTimeMs !== null ? Math.max(0, this.newestTimeMs - first.timeMs) : 0,
      cacheDrops: this.cacheDrops,
      readerSkips,
      restarts: this.restarts,
    };
  }

  private newSplitter(): ContainerSplitter {
    return this.container === 'webm'
      ? new WebmSplitter(this.maxElementBytes)
      : new FlvSplitter(this.maxElementBytes);
  }

  /** The init, or null until the container slot (the stream's start) has arrived. */
  private initBytes(): Buffer | null {
    if (!this.slots.has('container')) return null;
    return Buffer.concat([...this.slots.values()]);
  }

  private init(slot: string, bytes: Buffer): void {
    if (slot === 'container') {
      // A new stream inside the same publish (a new EBML header): readers of the old one cannot go on.
      if (this.slots.has('container')) this.forget();
      this.slots.set(slot, bytes);
      this.stateValue = 'live';
      // Readers attached while the feed waited start here (and at the next keyframe).
      for (const reader of this.readers) reader.sendInit(bytes);
      return;
    }
    // A configuration that changes mid-stream (a new resolution) reaches live readers in line, and later readers
    // in the init.
    this.slots.set(slot, bytes);
    for (const reader of this.readers) reader.sendInit(bytes);
  }

  private media(unit: CachedUnit): void {
    this.newestTimeMs = unit.timeMs;
    if (unit.keyframe) {
      this.cache = [unit];
      this.cacheBytes = unit.bytes.length;
    } else if (this.cache.length > 0) {
      this.cache.push(unit);
      this.cacheBytes += unit.bytes.length;
      if (this.cacheBytes > this.maxCacheBytes) {
        this.cache = [];
        this.cacheBytes = 0;
        this.cacheDrops++;
      }
    }
    for (const reader of this.readers) reader.send(unit);
  }

  /** Ends every reader and drops init and cache. */
  private forget(): void {
    for (const reader of [...this.readers]) reader.end();
    this.readers.clear();
    this.slots.clear();
    this.cache = [];
    this.cacheBytes = 0;
    this.newestTimeMs = null;
  }
}
