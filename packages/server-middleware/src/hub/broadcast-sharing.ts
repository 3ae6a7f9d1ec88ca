import type { StreamStatus } from '@onair/protocol';

/**
 * A piece of a broadcast's container stream as it crosses instances: the same shape as the ingest's
 * `ContainerPiece` (`ingest/container-splitter.ts`), written out here so the hub floor never imports the ingest.
 */
export type RelayedPiece =
  | { kind: 'init'; slot: string; bytes: Buffer }
  | { kind: 'media'; bytes: Buffer; keyframe: boolean; timeMs: number };

/** What a reader of a relayed feed hears, in the order the origin's feed took it. */
export interface RelayedFeedSink {
  piece(piece: RelayedPiece): void;
  /** The origin's feed started over: the pieces that follow are a new stream, from its init. */
  restart(): void;
  /** The origin's feed ended. */
  end(): void;
}

/** The writing end of a relayed feed, on the instance whose ingest receives the broadcast. */
export interface FeedPublication {
  piece(piece: RelayedPiece): void;
  restart(): void;
  /** The broadcast ended: readers hear it, and the relayed stream expires soon after. */
  end(): void;
}

/**
 * A stream created at run time as every instance sees it: its record without its source (a path or URL is the
 * creating instance's business), and which instance's ingest feeds it, if one does.
 */
export interface SharedStream {
  id: string;
  title: string;
  description: string | null;
  status: StreamStatus;
  scheduledAt: number | null;
  createdAt: number;
  startedAt: number | null;
  endedAt: number | null;
  /** A broadcast feeds the stream on `instance`, in `container`; the other instances read it relayed. */
  feed: { instance: string; container: 'webm' | 'flv' } | null;
  /** A file or ffmpeg input feeds it on `instance`; other instances list the stream without a channel. */
  inputOn: string | null;
  /**
   * Whether its broadcast is recorded (null: as each instance's `record` option says), so an instance whose
   * ingest takes the broadcast records it as asked. Absent from records written before it was shared.
   */
  record?: boolean | null;
}

/**
 * The instance a shared stream is fed on: its ingest's (`feed`), else its input's (`inputOn`); null when none. What
 * `endOrphan` compares against (`END_ORPHAN_SCRIPT` says the same in Lua).
 */
export function originInstance(stream: SharedStream): string | null {
  return stream.feed?.instance ?? stream.inputOn;
}

/** A change another instance made to the shared list. */
export type SharedStreamEvent =
  | { type: 'put'; stream: SharedStream; keyHash: string | null }
  | { type: 'removed'; id: string };

/**
 * The streams created at run time and their broadcasts, shared by every instance on one hub (issue 13, item 4).
 * Only a hub that spans instances has it (`redisHub`); with `memoryHub` the one instance is the whole truth and
 * nothing is shared. Ingest keys cross only as hashes (SHA-256 of a 24-byte random key).
 */
export interface BroadcastSharing {
  /** This instance's id on the hub: what `SharedStream.feed.instance` names. */
  readonly instanceId: string;
  /** Every shared stream now, with the hash of its ingest key. */
  list(): Promise<{ stream: SharedStream; keyHash: string | null }[]>;
  /** Writes a stream (and, when given, its key hash) and tells the other instances. */
  put(stream: SharedStream, keyHash?: string): Promise<void>;
  remove(id: string): Promise<void>;
  /**
   * Hears the other instances' changes; `resync` is called once listening starts and whenever changes may have
   * been missed (a reconnection): the caller then reads `list()`. Returns the unsubscribe function.
   */
  subscribe(listener: (event: SharedStreamEvent) => void, resync: () => void): () => void;
  /**
   * Which of `instanceIds` are running now (their liveness key is on the hub, `redis-liveness.ts`). Rejects while
   * the hub is unreachable: an instance nobody can ask about is not a dead one. Optional (with `endOrphan`):
   * without them, a crashed instance's streams stay live elsewhere.
   */
  alive?(instanceIds: readonly string[]): Promise<Set<string>>;
  /**
   * Ends a stream whose origin instance is gone, at most once across every instance: `ended` is written only if
   * the stored record is still `live`, still fed by `origin` (`feed.instance`, else `inputOn`) and `origin` is
   * still not alive, and the others are told in the same step. Answers whether this call ended it, and the record
   * as stored after it (null: removed), which the caller takes as if it had heard it.
   */
  endOrphan?(ended: SharedStream, origin: string): Promise<{ ended: boolean; stream: SharedStream | null }>;
  /** Starts relaying one broadcast's pieces. */
  publish(streamId: string): FeedPublication;
  /**
   * Reads a relayed broadcast from its live end (with the init it needs first) into `sink`, until the returned
   * function is called. A reader starts at the live end, so its decoder starts at the next keyframe.
   */
  read(streamId: string, sink: RelayedFeedSink): () => void;
  close(): Promise<void>;
}
