import { vi } from 'vitest';
import {
  type BroadcastSharing,
  originInstance,
  type RelayedFeedSink,
  type RelayedPiece,
  type SharedStream,
  type SharedStreamEvent,
} from '../hub/broadcast-sharing';
import { type StreamChange, StreamRegistry } from '../streams/stream-registry';
import { shareStreams } from './shared-streams';

type Entry = RelayedPiece | { kind: 'restart' } | { kind: 'end' };

/**
 * `BroadcastSharing` for unit tests: instances joined in memory, as Redis joins them. Announcements are delivered
 * on the next microtask (as over pub/sub: never inside the writer's call).
 */
export class SharingBus {
  readonly streams = new Map<string, { stream: SharedStream; keyHash: string | null }>();
  readonly published = new Map<string, Entry[]>();
  private readonly sinks = new Map<string, Set<RelayedFeedSink>>();
  private readonly listeners = new Map<string, (event: SharedStreamEvent) => void>();
  /** How many `read()`s are open now, per stream. */
  readonly reading = new Map<string, number>();
  /** Instances whose liveness key is there: each one made joins; a test deletes one to crash it. */
  readonly alive = new Set<string>();
  /** While true, `alive()` and `endOrphan()` reject, as an unreachable Redis does. */
  unreachable = false;
  /** How long `alive()` takes to answer (a hub reconnecting queues it). */
  answerDelayMs = 0;

  instance(instanceId: string): BroadcastSharing {
    this.alive.add(instanceId);
    const announce = (id: string) =>
      queueMicrotask(() => {
        const known = this.streams.get(id);
        for (const [other, listener] of this.listeners) {
          if (other === instanceId) continue;
          listener(
            known ? { type: 'put', stream: known.stream, keyHash: known.keyHash } : { type: 'removed', id },
          );
        }
      });
    const deliver = (id: string, entry: Entry) => {
      this.published.set(id, [...(this.published.get(id) ?? []), entry]);
      for (const sink of this.sinks.get(id) ?? []) {
        if (entry.kind === 'restart') sink.restart();
        else if (entry.kind === 'end') sink.end();
        else sink.piece(entry);
      }
    };
    return {
      instanceId,
      list: async () => [...this.streams.values()],
      put: async (stream, keyHash) => {
        this.streams.set(stream.id, {
          stream,
          keyHash: keyHash ?? this.streams.get(stream.id)?.keyHash ?? null,
        });
        announce(stream.id);
      },
      remove: async (id) => {
        this.streams.delete(id);
        announce(id);
      },
      alive: async (ids) => {
        if (this.answerDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.answerDelayMs));
        if (this.unreachable) throw new Error('Redis is unreachable');
        return new Set(ids.filter((id) => this.alive.has(id)));
      },
      endOrphan: async (ended, origin) => {
        if (this.unreachable) throw new Error('Redis is unreachable');
        const stored = this.streams.get(ended.id);
        if (
          stored?.stream.status !== 'live' ||
          originInstance(stored.stream) !== origin ||
          this.alive.has(origin)
        ) {
          return { ended: false, stream: stored?.stream ?? null };
        }
        this.streams.set(ended.id, { stream: ended, keyHash: stored.keyHash });
        announce(ended.id);
        return { ended: true, stream: ended };
      },
      subscribe: (listener, resync) => {
        this.listeners.set(instanceId, listener);
        queueMicrotask(resync);
        return () => this.listeners.delete(instanceId);
      },
      publish: (id) => ({
        piece: (piece) => deliver(id, piece),
        restart: () => deliver(id, { kind: 'restart' }),
        end: () => deliver(id, { kind: 'end' }),
      }),
      read: (id, sink) => {
        const sinks = this.sinks.get(id) ?? new Set();
        sinks.add(sink);
        this.sinks.set(id, sinks);
        this.reading.set(id, (this.reading.get(id) ?? 0) + 1);
        return () => {
          if (sinks.delete(sink)) this.reading.set(id, (this.reading.get(id) ?? 1) - 1);
        };
      },
      close: async () => {},
    };
  }
}

/**
 * One instance on `bus`: its own registry kept in step by `shareStreams`, and the changes its registry made
 * (`[kind, id, status]`), for tests to read.
 */
export function sharingInstance(bus: SharingBus, name: string, localIds: readonly string[] = []) {
  const logger = { error: vi.fn(), warn: vi.fn() };
  const registry = new StreamRegistry(logger);
  const changes: [StreamChange['kind'], string, string][] = [];
  registry.on('change', ({ kind, stream }) => changes.push([kind, stream.id, stream.status]));
  const stop = shareStreams({ registry, sharing: bus.instance(name), localIds: new Set(localIds), logger });
  return { name, registry, changes, stop, logger };
}
