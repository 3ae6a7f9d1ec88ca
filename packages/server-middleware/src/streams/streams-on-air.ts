import type { StreamStatusMessage } from '@onair/protocol';
import type { ProbeResult } from '../ffmpeg';
import type { StreamChannels } from './stream-channels';
import type { StreamChange, StreamRegistry } from './stream-registry';

/** Why a stream's viewers lose their channel: its new status, or `removed`. */
export type OffAirStatus = StreamStatusMessage['status'];

export interface StreamsOnAirDeps {
  registry: StreamRegistry;
  channels: StreamChannels;
  /** Files probed at start-up, by id: used by the first channel of that id, then forgotten. */
  startupProbes: Map<string, ProbeResult>;
  /** The viewers of `id` are told it went off air (and leave its channel) before the channel closes. */
  offAir(id: string, status: OffAirStatus): void;
  /** The list or a status changed: catalogs are pushed again. */
  catalogChanged(): void;
}

/**
 * Keeps the channels in step with the registry: a live stream with a source has a channel (and packager), and
 * nothing else does. A channel that goes tells its viewers first, so they see "ended", never an error, and keep
 * their socket. Returns what disconnects it.
 */
export function keepStreamsOnAir(deps: StreamsOnAirDeps): () => void {
  const { registry, channels } = deps;
  const takeOff = (id: string, status: OffAirStatus) => {
    if (!channels.channels.has(id)) return;
    deps.offAir(id, status);
    void channels.close(id);
  };
  const putOn = (change: StreamChange) => {
    const { stream } = change;
    if (stream.status !== 'live' || stream.source === null) return;
    const probe = deps.startupProbes.get(stream.id) ?? null;
    deps.startupProbes.delete(stream.id);
    channels.open(stream.source, probe).wake();
  };
  const listener = (change: StreamChange) => {
    switch (change.kind) {
      case 'created':
      case 'started':
        putOn(change);
        break;
      case 'feed':
        // A new feed replaces the old one: its viewers pick the stream again when the catalog says it is live.
        takeOff(change.stream.id, change.stream.status);
        putOn(change);
        break;
      case 'ended':
        takeOff(change.stream.id, change.stream.status);
        break;
      case 'removed':
        takeOff(change.stream.id, 'removed');
        break;
    }
    deps.catalogChanged();
  };
  registry.on('change', listener);
  return () => registry.off('change', listener);
}
