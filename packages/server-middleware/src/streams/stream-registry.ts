import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { StreamCreateSchema, type StreamStatus } from '@onair/protocol';
import * as v from 'valibot';
import type { LiveStreamLogger } from '../options/logger';
import { normalizeVideoInput, type VideoInput, type VideoSource } from '../source/video-source';
import { StreamConflictError, UnknownStreamError } from './stream-errors';
import type { StreamRecord } from './stream-record';
import { nextStatus, type StreamMove } from './stream-transitions';

/** What `streams.create()` takes: REST's body, with any video input `liveStream()` takes (a path too). */
export interface StreamCreateOptions {
  /** Default: a random id. Must match `VIDEO_ID_PATTERN` and be unused. */
  id?: string;
  title: string;
  description?: string;
  /** Unix ms. */
  scheduledAt?: number;
  /** A file or ffmpeg input (as in `liveStream()`'s list; its `id` and `title` are the stream's). Absent: an ingest will feed it. */
  input?: VideoInput;
  /** Keep its broadcast as a file to replay once ended (issue 13 item 5). Default: the `record` option. */
  record?: boolean;
}

/** What `create()` gives: the record, and the ingest key, which nothing else ever gives out again. */
export interface CreatedStream {
  stream: StreamRecord;
  ingest: { key: string };
}

/**
 * One event for every change, in the order they happened, with what changed (`kind`) and the record after it.
 * One event rather than one per kind: every listener (the channels, the catalog push, and later the shared
 * list of issue 13's item 4) wants them all, in order, and forwards a change by its kind.
 */
export interface StreamChange {
  kind: 'created' | 'started' | 'ended' | 'removed' | 'feed';
  stream: StreamRecord;
}

export type StreamChangeListener = (change: StreamChange) => void;

/** What `live.streams` offers the host (the registry, less what only `liveStream()` itself calls). */
export type LiveStreams = Omit<StreamRegistry, 'adoptLive' | 'mirror' | 'ingestKeyHash'>;

const CreateFieldsSchema = v.omit(StreamCreateSchema, ['input']);
const INGEST_KEY_BYTES = 24;

const newIngestKey = () => randomBytes(INGEST_KEY_BYTES).toString('base64url');
/**
 * Keys are kept as their SHA-256 only: what another instance may be given to check a key (issue 13, item 4),
 * safe because a key is 24 random bytes, and compared in constant time at a fixed length.
 */
const KEY_HASH = /^[0-9a-f]{64}$/;
const hashKey = (key: string) => createHash('sha256').update(key).digest();

/**
 * Every stream of one `liveStream()`: its status, times and input, and its ingest key. State only: the channels
 * follow the `change` events (`stream-channels.ts`). Moves its status rules refuse throw `StreamConflictError`;
 * an unknown id throws `UnknownStreamError`; bad arguments throw a `TypeError` naming the field.
 */
export class StreamRegistry {
  private readonly streams = new Map<string, StreamRecord>();
  private readonly ingestKeys = new Map<string, Buffer>();
  private readonly listeners = new Set<StreamChangeListener>();

  constructor(
    private readonly logger: LiveStreamLogger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Adds a `scheduled` stream; `start()` puts it on air. */
  create(options: StreamCreateOptions): CreatedStream {
    if (typeof options !== 'object' || options === null) {
      throw new TypeError('streams.create: expected { title, description?, scheduledAt?, input?, id? }');
    }
    const { input, ...fields } = options;
    const checked = v.safeParse(CreateFieldsSchema, fields);
    if (!checked.success) {
      const issue = checked.issues[0];
      const path = v.getDotPath(issue) ?? 'options';
      throw new TypeError(`streams.create: ${path}: ${issue.message}`);
    }
    const id = checked.output.id ?? this.freeId();
    if (this.streams.has(id)) throw new StreamConflictError(`a stream with id "${id}" exists`);
    const title = checked.output.title;
    const source =
      input === undefined
        ? null
        : normalizeVideoInput(
            typeof input === 'string' ? { input, id, title } : { ...input, id, title },
            'streams.create input',
          );
    return this.add({
      id,
      title,
      description: checked.output.description ?? null,
      status: 'scheduled',
      scheduledAt: checked.output.scheduledAt ?? null,
      createdAt: this.now(),
      startedAt: null,
      endedAt: null,
      source,
      record: checked.output.record ?? null,
    });
  }

  /** A video given to `liveStream()`: checked at start-up already, and live from the start. */
  adoptLive(source: VideoSource): CreatedStream {
    if (this.streams.has(source.id)) throw new StreamConflictError(`a stream with id "${source.id}" exists`);
    const now = this.now();
    return this.add({
      id: source.id,
      title: source.title,
      description: null,
      status: 'live',
      scheduledAt: null,
      createdAt: now,
      startedAt: now,
      endedAt: null,
      source,
    });
  }

  /** `scheduled` → `live`. */
  start(id: string): StreamRecord {
    return this.move(id, 'start');
  }

  /** `live` → `ended`, or `scheduled` → `cancelled`. */
  end(id: string): StreamRecord {
    return this.move(id, 'end');
  }

  /** Forgets the stream, whatever its status (its channel, if any, closes). */
  remove(id: string): StreamRecord {
    const stream = this.require(id);
    this.streams.delete(id);
    this.ingestKeys.delete(id);
    this.emit({ kind: 'removed', stream });
    return stream;
  }

  get(id: string): StreamRecord | undefined {
    return this.streams.get(id);
  }

  /** In creation order; `status` keeps only those (one status or several). */
  list(filter: { status?: StreamStatus | readonly StreamStatus[] } = {}): StreamRecord[] {
    const all = [...this.streams.values()];
    if (filter.status === undefined) return all;
    const wanted = new Set(typeof filter.status === 'string' ? [filter.status] : filter.status);
    return all.filter((stream) => wanted.has(stream.status));
  }

  /** Whether `key` is this stream's ingest key (compared in constant time). What an ingest asks first. */
  checkIngestKey(id: string, key: string): boolean {
    const expected = this.ingestKeys.get(id);
    if (!expected || typeof key !== 'string') return false;
    return timingSafeEqual(hashKey(key), expected);
  }

  /**
   * The stream whose ingest key `key` is, for ingests that get only a key (RTMP's stream key); every key is
   * compared in constant time.
   */
  streamForIngestKey(key: string): string | null {
    if (typeof key !== 'string') return null;
    const given = hashKey(key);
    let found: string | null = null;
    for (const [id, expected] of this.ingestKeys) {
      if (timingSafeEqual(given, expected)) found = id;
    }
    return found;
  }

  /** The SHA-256 (hex) of the stream's ingest key, what is shared with other instances; null when it has none. */
  ingestKeyHash(id: string): string | null {
    return this.ingestKeys.get(id)?.toString('hex') ?? null;
  }

  /**
   * A change another instance made (issue 13, item 4: `instances/shared-streams.ts`), taken as it is: the record
   * (and, when given, the hash of its key) replaces this one's, or `removed` forgets it, and the same change event
   * goes to this instance's listeners. No status rule is checked: the other instance checked it.
   */
  mirror(change: StreamChange, keyHash?: string | null): void {
    const { stream } = change;
    if (change.kind === 'removed') {
      if (!this.streams.delete(stream.id)) return;
      this.ingestKeys.delete(stream.id);
    } else {
      this.streams.set(stream.id, stream);
      if (keyHash && KEY_HASH.test(keyHash)) this.ingestKeys.set(stream.id, Buffer.from(keyHash, 'hex'));
    }
    this.emit(change);
  }

  /**
   * Where an ingest (issue 13, items 2 and 3) plugs in: `source` becomes what the stream's channel reads (a
   * live stream goes on air at once; a scheduled one when it starts). `null` detaches the feed: the channel
   * closes and the stream stays live, waiting for a feed again (a broadcaster reconnecting).
   */
  attachFeed(id: string, source: VideoSource | null): StreamRecord {
    const stream = this.require(id);
    if (stream.status === 'ended' || stream.status === 'cancelled') {
      throw new StreamConflictError(`stream "${id}" is ${stream.status}; nothing can feed it`);
    }
    if (source !== null && source.id !== id) {
      throw new TypeError(`streams.attachFeed: the source's id must be the stream's ("${id}")`);
    }
    return this.replace({ ...stream, source }, 'feed');
  }

  on(event: 'change', listener: StreamChangeListener): void {
    if (event !== 'change') throw new TypeError(`streams.on: the only event is "change", not "${event}"`);
    this.listeners.add(listener);
  }

  off(event: 'change', listener: StreamChangeListener): void {
    if (event === 'change') this.listeners.delete(listener);
  }

  private add(stream: StreamRecord): CreatedStream {
    const key = newIngestKey();
    this.streams.set(stream.id, stream);
    this.ingestKeys.set(stream.id, hashKey(key));
    this.emit({ kind: 'created', stream });
    return { stream, ingest: { key } };
  }

  private move(id: string, move: StreamMove): StreamRecord {
    const stream = this.require(id);
    const status = nextStatus(stream.status, move);
    if (status === null)
      throw new StreamConflictError(`cannot ${move} stream "${id}": it is ${stream.status}`);
    const at = this.now();
    const moved: StreamRecord =
      move === 'start' ? { ...stream, status, startedAt: at } : { ...stream, status, endedAt: at };
    return this.replace(moved, move === 'start' ? 'started' : 'ended');
  }

  private replace(stream: StreamRecord, kind: StreamChange['kind']): StreamRecord {
    this.streams.set(stream.id, stream);
    this.emit({ kind, stream });
    return stream;
  }

  private require(id: string): StreamRecord {
    const stream = this.streams.get(id);
    if (!stream) throw new UnknownStreamError(id);
    return stream;
  }

  private freeId(): string {
    let id: string;
    do id = `s${randomBytes(6).toString('hex')}`;
    while (this.streams.has(id));
    return id;
  }

  /** A listener that throws is logged and does not stop the others, nor the change. */
  private emit(change: StreamChange): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(change);
      } catch (error) {
        this.logger.error('a streams change listener threw', {
          error,
          kind: change.kind,
          streamId: change.stream.id,
        });
      }
    }
  }
}
