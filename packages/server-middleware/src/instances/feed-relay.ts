import type { BroadcastSharing, FeedPublication } from '../hub/broadcast-sharing';
import { BroadcastFeed } from '../ingest/broadcast-feed';
import type { StreamChange, StreamRegistry } from '../streams/stream-registry';

interface Relay {
  feed: BroadcastFeed;
  publication: FeedPublication;
  stopObserving: () => void;
}

/**
 * Publishes every broadcast this instance ingests to the hub, piece by piece as its feed takes them, so other
 * instances can decode it (issue 13, item 4). It follows the registry: a stream whose source becomes a local
 * `BroadcastFeed` (the browser's socket and RTMP both attach theirs with `attachFeed`) is relayed until the
 * feed ends, the stream ends or is removed, or another feed replaces it. A feed relayed from another instance
 * (`RelayedFeed`) is not a `BroadcastFeed` source here, so nothing is published twice. Returns what stops it.
 */
export function relayLocalFeeds(registry: StreamRegistry, sharing: BroadcastSharing): () => void {
  const relays = new Map<string, Relay>();

  /** `announce`: readers hear the end; not when another instance's ingest took the broadcast over. */
  const stop = (id: string, announce = true) => {
    const relay = relays.get(id);
    if (!relay) return;
    relays.delete(id);
    relay.stopObserving();
    if (announce) relay.publication.end();
  };

  const start = (id: string, feed: BroadcastFeed) => {
    const publication = sharing.publish(id);
    const relay: Relay = { feed, publication, stopObserving: () => {} };
    relay.stopObserving = feed.observe({
      piece: (piece) => publication.piece(piece),
      restart: () => publication.restart(),
      end: () => stop(id),
    });
    relays.set(id, relay);
  };

  const listener = ({ kind, stream }: StreamChange) => {
    const source = stream.source;
    const feed = source?.kind === 'broadcast' && source.feed instanceof BroadcastFeed ? source.feed : null;
    const open = kind !== 'removed' && kind !== 'ended' && feed !== null && feed.state !== 'ended';
    // The broadcaster reconnected to another instance, which now writes the same relayed stream: an end written
    // from here would land among its pieces and end every reader.
    const movedAway = source?.kind === 'broadcast' && source.feed !== undefined && feed === null;
    if (relays.get(stream.id)?.feed !== (open ? feed : undefined)) stop(stream.id, !movedAway);
    if (open && feed && !relays.has(stream.id)) start(stream.id, feed);
  };

  registry.on('change', listener);
  return () => {
    registry.off('change', listener);
    for (const id of [...relays.keys()]) stop(id);
  };
}
