import type { StreamStatus } from '@onair/protocol';
import type { BroadcastSharing, SharedStream, SharedStreamEvent } from '../hub/broadcast-sharing';
import type { LiveStreamLogger } from '../options/logger';
import { broadcastSource } from '../source/video-source';
import { type StreamRecord, sameStreamFields, streamFields } from '../streams/stream-record';
import type { StreamChange, StreamRegistry } from '../streams/stream-registry';
import { relayLocalFeeds } from './feed-relay';
import { endOrphanedStreams } from './orphaned-streams';
import { RelayedFeed } from './relayed-feed';

export interface SharedStreamsDeps {
  registry: StreamRegistry;
  sharing: BroadcastSharing;
  /** The videos given to `liveStream()`: every instance has its own (each decodes its files), never shared. */
  localIds: ReadonlySet<string>;
  logger: LiveStreamLogger;
}

interface Relayed {
  from: string;
  feed: RelayedFeed;
}

/** Statuses only move forward (`stream-transitions.ts`): a shared record further back is stale. */
const STATUS_RANK: Readonly<Record<StreamStatus, number>> = { scheduled: 0, live: 1, ended: 2, cancelled: 2 };

/** The kind of change that turns `before` (absent: unknown here) into `after`. */
function changeKind(before: StreamRecord | undefined, after: StreamRecord): StreamChange['kind'] | null {
  if (!before) return 'created';
  if (before.status !== after.status) return after.status === 'live' ? 'started' : 'ended';
  if (before.source !== after.source) return 'feed';
  return sameStreamFields(before, after) ? null : 'feed';
}

/**
 * Keeps this instance's stream registry and the hub's shared list in step (issue 13, item 4). A change made
 * here (REST, the host's `live.streams`, an ingest) is written to the hub with the hash of the stream's ingest
 * key; a change made elsewhere is mirrored into the registry, so this instance's channels, catalog pushes and
 * viewers ("ended") follow it exactly as they follow local changes. A stream fed by another instance's ingest
 * gets a `RelayedFeed` here as its source: its channel decodes the relayed pieces locally, read only while the
 * channel runs. Broadcasts fed here are published (`relayLocalFeeds`). A live stream whose origin instance
 * crashed is ended after the broadcast grace (`endOrphanedStreams`). Returns what stops it.
 */
export function shareStreams(deps: SharedStreamsDeps): () => void {
  const { registry, sharing, localIds, logger } = deps;
  const me = sharing.instanceId;
  /** The shared form last written or read of each stream: what says who feeds it. */
  const known = new Map<string, SharedStream>();
  const relayed = new Map<string, Relayed>();
  let mirroring = false;
  let stopped = false;

  const failed = (what: string, streamId: string) => (error: unknown) => {
    if (!stopped) logger.error(`streams: could not ${what} on the hub`, { error, streamId });
  };

  const feedOf = (record: StreamRecord): SharedStream['feed'] => {
    const source = record.source;
    if (source?.kind === 'broadcast' && source.feed && !(source.feed instanceof RelayedFeed)) {
      return { instance: me, container: source.feed.container === 'flv' ? 'flv' : 'webm' };
    }
    const before = known.get(record.id)?.feed ?? null;
    return source?.feed instanceof RelayedFeed && before && before.instance !== me ? before : null;
  };
  const inputOf = (record: StreamRecord): string | null => {
    if (record.source && record.source.kind !== 'broadcast') return me;
    const before = known.get(record.id)?.inputOn ?? null;
    return before !== me ? before : null;
  };
  const shared = (record: StreamRecord): SharedStream => ({
    ...streamFields(record),
    feed: feedOf(record),
    inputOn: inputOf(record),
    record: record.record ?? null,
  });

  const dropRelayed = (id: string) => {
    relayed.get(id)?.feed.end();
    relayed.delete(id);
  };

  const mirror = (change: StreamChange, keyHash?: string | null) => {
    mirroring = true;
    try {
      registry.mirror(change, keyHash);
    } finally {
      mirroring = false;
    }
  };

  /** What this instance reads for a stream another instance describes. */
  const sourceFor = (stream: SharedStream, before: StreamRecord | undefined) => {
    const { feed } = stream;
    const open = stream.status === 'live' || stream.status === 'scheduled';
    if (!feed || feed.instance === me || !open) {
      dropRelayed(stream.id);
      // Fed here (this instance's ingest or input), its own source stays; a relayed one is gone.
      const own = before?.source;
      return own && !(own.feed instanceof RelayedFeed) ? own : null;
    }
    const current = relayed.get(stream.id);
    if (current && current.from === feed.instance && current.feed.container === feed.container) {
      return before?.source ?? broadcastSource({ id: stream.id, title: stream.title, feed: current.feed });
    }
    dropRelayed(stream.id);
    const relayedFeed = new RelayedFeed(feed.container, (sink) => sharing.read(stream.id, sink));
    relayed.set(stream.id, { from: feed.instance, feed: relayedFeed });
    return broadcastSource({ id: stream.id, title: stream.title, feed: relayedFeed });
  };

  const applyPut = (stream: SharedStream, keyHash?: string | null) => {
    if (localIds.has(stream.id)) return;
    const before = registry.get(stream.id);
    if (before && STATUS_RANK[stream.status] < STATUS_RANK[before.status]) {
      // The list is behind this instance (a write of ours failed while Redis was away): ours is newer, and a
      // status never goes back, so the list is repaired instead.
      sharing
        .put(shared(before), registry.ingestKeyHash(before.id) ?? undefined)
        .catch(failed('share a stream', before.id));
      return;
    }
    known.set(stream.id, stream);
    const { feed: _feed, inputOn: _inputOn, ...fields } = stream;
    const record: StreamRecord = { ...fields, source: sourceFor(stream, before) };
    const kind = changeKind(before, record);
    if (kind !== null) mirror({ kind, stream: record }, keyHash);
  };

  const applyRemoved = (id: string) => {
    if (localIds.has(id)) return;
    known.delete(id);
    dropRelayed(id);
    const stream = registry.get(id);
    if (stream) mirror({ kind: 'removed', stream });
  };

  const onShared = (event: SharedStreamEvent) => {
    if (stopped) return;
    if (event.type === 'put') applyPut(event.stream, event.keyHash);
    else applyRemoved(event.id);
  };

  const resync = () => {
    sharing
      .list()
      .then((all) => {
        if (stopped) return;
        const present = new Set<string>();
        for (const { stream, keyHash } of all) {
          present.add(stream.id);
          applyPut(stream, keyHash);
        }
        for (const id of [...known.keys()]) if (!present.has(id)) applyRemoved(id);
      })
      .catch(failed('read the streams', '*'));
  };

  const onLocal = (change: StreamChange) => {
    if (mirroring || stopped || localIds.has(change.stream.id)) return;
    const { id } = change.stream;
    if (change.kind === 'removed') {
      known.delete(id);
      dropRelayed(id);
      sharing.remove(id).catch(failed('remove a stream', id));
      return;
    }
    if (change.kind === 'ended') relayed.get(id)?.feed.end();
    const stream = shared(change.stream);
    known.set(id, stream);
    sharing.put(stream, registry.ingestKeyHash(id) ?? undefined).catch(failed('share a stream', id));
  };

  registry.on('change', onLocal);
  const stopRelaying = relayLocalFeeds(registry, sharing);
  const unsubscribe = sharing.subscribe(onShared, resync);
  const { alive, endOrphan } = sharing;
  const stopEndingOrphans =
    alive && endOrphan
      ? endOrphanedStreams({
          sharing: { instanceId: me, alive: alive.bind(sharing), endOrphan: endOrphan.bind(sharing) },
          streams: () => known.values(),
          settled: (id, stream) => {
            if (stopped) return;
            if (stream) applyPut(stream);
            else applyRemoved(id);
          },
          logger,
        })
      : () => {};
  return () => {
    stopped = true;
    stopEndingOrphans();
    registry.off('change', onLocal);
    stopRelaying();
    unsubscribe();
    for (const id of [...relayed.keys()]) dropRelayed(id);
  };
}
