import { type BroadcastSharing, originInstance, type SharedStream } from '../hub/broadcast-sharing';
import { BROADCAST_GRACE_MS } from '../ingest/broadcast-on-air';
import type { LiveStreamLogger } from '../options/logger';

/**
 * How often the live streams of other instances are checked for a gone origin. One small Redis script per
 * check, and only while such streams exist; it adds at most this much to the time a crashed origin's stream
 * takes to end (its liveness TTL, then `BROADCAST_GRACE_MS`).
 */
export const ORPHAN_CHECK_MS = 2_000;

/**
 * An answer about liveness slower than this is not trusted: ioredis queues commands while it reconnects, so a
 * slow answer comes from a hub that was away, whose keys may have expired meanwhile. The clocks start over.
 */
export const SLOW_ANSWER_MS = 5_000;

export interface OrphanedStreamsDeps {
  /** A sharing that can tell which instances are alive (`redisBroadcasts` can). */
  sharing: Required<Pick<BroadcastSharing, 'instanceId' | 'alive' | 'endOrphan'>>;
  /** The shared form of every stream this instance knows now. */
  streams(): Iterable<SharedStream>;
  /** The record as the hub has it after an end was tried: taken as if it had been heard (null: removed). */
  settled(id: string, stream: SharedStream | null): void;
  logger: LiveStreamLogger;
}

/** The instance whose ingest or input feeds a stream, when another instance's does. */
function originOf(stream: SharedStream, me: string): string | null {
  if (stream.status !== 'live') return null;
  const origin = originInstance(stream);
  return origin && origin !== me ? origin : null;
}

/**
 * Ends the live streams whose origin instance crashed (issue 13, item 4). A single instance ends a broadcast
 * whose broadcaster is gone for `BROADCAST_GRACE_MS` (`ingest/broadcast-on-air.ts`), but that timer dies with
 * its instance: without this, the stream would stay live on every other instance for ever. So each instance
 * checks the live streams fed elsewhere; one whose origin has been gone (its liveness key expired) for the same
 * grace is ended on the hub, by whichever instance gets there first (`endOrphan` is atomic), and every registry
 * follows through the usual mirroring, so viewers see "ended". A broadcaster that reconnects to another
 * instance in time moves the feed there, which stops the clock. Nothing is judged while the hub cannot be asked,
 * nor while it does not know this instance itself (a Redis that restarted without its keys: the others are
 * writing theirs again too). Returns what stops it.
 */
export function endOrphanedStreams(deps: OrphanedStreamsDeps): () => void {
  const { sharing, logger } = deps;
  const me = sharing.instanceId;
  /** When each stream was first seen with its origin gone, keyed by stream and origin. */
  const goneSince = new Map<string, number>();
  let checking = false;
  let stopped = false;
  let unreachable = false;

  const check = async () => {
    const open = [...deps.streams()].flatMap((stream) => {
      const origin = originOf(stream, me);
      return origin ? [{ stream, origin, clock: `${stream.id}\n${origin}` }] : [];
    });
    const current = new Set(open.map(({ clock }) => clock));
    for (const clock of [...goneSince.keys()]) if (!current.has(clock)) goneSince.delete(clock);
    if (open.length === 0) return;
    let alive: Set<string>;
    const askedAt = Date.now();
    try {
      alive = await sharing.alive([me, ...open.map(({ origin }) => origin)]);
      unreachable = false;
    } catch (error) {
      goneSince.clear();
      if (!unreachable && !stopped) logger.warn('streams: could not check the other instances', { error });
      unreachable = true;
      return;
    }
    if (!alive.has(me) || Date.now() - askedAt > SLOW_ANSWER_MS) {
      goneSince.clear();
      return;
    }
    const now = Date.now();
    for (const { stream, origin, clock } of open) {
      if (alive.has(origin)) {
        goneSince.delete(clock);
        continue;
      }
      const since = goneSince.get(clock) ?? now;
      goneSince.set(clock, since);
      if (now - since < BROADCAST_GRACE_MS || stopped) continue;
      goneSince.delete(clock);
      const ended: SharedStream = { ...stream, status: 'ended', endedAt: now };
      try {
        const outcome = await sharing.endOrphan(ended, origin);
        if (stopped) return;
        if (outcome.ended) {
          logger.warn(`stream "${stream.id}" lost its origin instance; the stream ends`, {
            streamId: stream.id,
            origin,
          });
        }
        deps.settled(stream.id, outcome.stream);
      } catch (error) {
        if (!stopped)
          logger.error('streams: could not end a stream on the hub', { error, streamId: stream.id });
      }
    }
  };

  const timer = setInterval(() => {
    if (checking || stopped) return;
    checking = true;
    check().finally(() => {
      checking = false;
    });
  }, ORPHAN_CHECK_MS);
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
