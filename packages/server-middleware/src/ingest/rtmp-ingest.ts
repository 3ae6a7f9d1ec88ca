import { createServer, type Server } from 'node:net';
import { BroadcastFeed, type BroadcastFeedOptions } from './broadcast-feed';
import { ContainerError } from './container-splitter';
import { loadRtmpProtocol } from './rtmp-protocol';
import { RtmpPublisher } from './rtmp-publisher';

export interface RtmpIngestLogger {
  warn(message: string, details?: Record<string, unknown>): void;
  info?(message: string, details?: Record<string, unknown>): void;
}

export interface RtmpIngestOptions {
  /** TCP port; 0 picks a free one (read it from `port`). Default 1935, RTMP's. */
  port?: number;
  /** Interface to listen on. Default: all. */
  host?: string;
  /** The application name in the ingest URL, `rtmp://host:port/<app>`; OBS's "Server". Default `live`. */
  app?: string;
  /**
   * The stream a stream key publishes to, or null to refuse it (the connection is told `BadName` and closed).
   * Called for every publish; may be async.
   */
  authorize(key: string): string | null | Promise<string | null>;
  /**
   * A publish to `streamId` started. `feed` is the stream's FLV feed: the same object for every publish of the
   * stream until `end(streamId)` (a new publish restarts it, so its decoders start over on the new stream).
   */
  onPublish(streamId: string, feed: BroadcastFeed): void;
  /** The publisher of `streamId` went away (the feed stays, waiting for a new publish or `end`). */
  onUnpublish(streamId: string): void;
  logger?: RtmpIngestLogger | false;
  /** Bounds of each stream's feed. */
  feed?: Omit<BroadcastFeedOptions, 'container'>;
  /** Time a connection has to publish, ms. Default 10 000. */
  publishTimeoutMs?: number;
}

export interface RtmpIngestStats {
  port: number;
  connections: number;
  /** Streams with a publisher now. */
  publishing: string[];
  /** Streams with a feed (published at least once and not ended). */
  feeds: string[];
}

export interface RtmpIngest {
  /** The port listened on (the one picked when `port` was 0). */
  readonly port: number;
  /** The stream's feed, if it has been published and not ended. */
  feed(streamId: string): BroadcastFeed | undefined;
  /** The stream is over: its publisher is disconnected and its feed ended (its readers' decoders see the end). */
  end(streamId: string): void;
  stats(): RtmpIngestStats;
  /** Stops listening, disconnects every publisher, ends every feed. */
  close(): Promise<void>;
}

const DEFAULT_PORT = 1935;
const MAX_BYTES_BEFORE_PUBLISH = 64 * 1024;
const DEFAULT_PUBLISH_TIMEOUT_MS = 10_000;

function checkOptions(options: RtmpIngestOptions): void {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('rtmpIngest: options must be an object');
  const { port, app } = options;
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    throw new TypeError('rtmpIngest: port must be an integer from 0 to 65535');
  }
  if (app !== undefined && (typeof app !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(app))) {
    throw new TypeError('rtmpIngest: app must be 1 to 64 letters, digits, "_" or "-"');
  }
  for (const name of ['authorize', 'onPublish', 'onUnpublish'] as const) {
    if (typeof options[name] !== 'function') throw new TypeError(`rtmpIngest: ${name} must be a function`);
  }
}

/**
 * An RTMP ingest that OBS and ffmpeg publish to with the usual settings: server `rtmp://host:port/live`, stream
 * key as issued by the host. Each accepted publish goes, as FLV, into its stream's `BroadcastFeed`, which a
 * `broadcast` channel source decodes; several streams publish at once, one publisher per stream (a new publish
 * of a stream replaces the old connection: an encoder reconnecting after a network cut must not be locked out by
 * its own half-open connection). Resolves once listening.
 */
export async function rtmpIngest(options: RtmpIngestOptions): Promise<RtmpIngest> {
  checkOptions(options);
  const Rtmp = await loadRtmpProtocol();
  const app = options.app ?? 'live';
  const logger = options.logger === false ? null : (options.logger ?? console);
  const log = (level: 'info' | 'warn', message: string) =>
    level === 'warn' ? logger?.warn(message) : logger?.info?.(message);
  const feeds = new Map<string, BroadcastFeed>();
  const publishers = new Map<string, RtmpPublisher>();
  const connections = new Set<RtmpPublisher>();

  const accepted = (streamId: string, publisher: RtmpPublisher) => {
    const previous = publishers.get(streamId);
    if (previous && previous !== publisher) {
      log(
        'info',
        `RTMP publish to stream "${streamId}" from ${publisher.address} replaces ${previous.address}`,
      );
      publishers.delete(streamId);
      previous.disconnect();
    }
    let feed = feeds.get(streamId);
    if (feed) feed.restart();
    else {
      feed = new BroadcastFeed({ ...options.feed, container: 'flv' });
      feeds.set(streamId, feed);
    }
    publishers.set(streamId, publisher);
    const target = feed;
    options.onPublish(streamId, target);
    return (flv: Buffer) => {
      try {
        target.push(flv);
      } catch (error) {
        if (!(error instanceof ContainerError)) throw error;
        log('warn', `RTMP publish to stream "${streamId}" sent bad FLV (${error.message}); disconnected`);
        publisher.disconnect();
      }
    };
  };

  const closed = (publisher: RtmpPublisher, streamId: string | null) => {
    connections.delete(publisher);
    if (streamId === null || publishers.get(streamId) !== publisher) return;
    publishers.delete(streamId);
    log('info', `RTMP publish to stream "${streamId}" ended`);
    options.onUnpublish(streamId);
  };

  const server: Server = createServer((socket) => {
    const publisher = new RtmpPublisher(socket, new Rtmp(), {
      app,
      maxBytesBeforePublish: MAX_BYTES_BEFORE_PUBLISH,
      publishTimeoutMs: options.publishTimeoutMs ?? DEFAULT_PUBLISH_TIMEOUT_MS,
      authorize: options.authorize,
      accepted,
      closed,
      log,
    });
    connections.add(publisher);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_PORT, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => logger?.warn(`RTMP ingest: ${error.message}`));
  const address = server.address();
  const port =
    typeof address === 'object' && address !== null ? address.port : (options.port ?? DEFAULT_PORT);

  const end = (streamId: string) => {
    publishers.get(streamId)?.disconnect();
    feeds.get(streamId)?.end();
    feeds.delete(streamId);
  };

  return {
    port,
    feed: (streamId) => feeds.get(streamId),
    end,
    stats: () => ({
      port,
      connections: connections.size,
      publishing: [...publishers.keys()],
      feeds: [...feeds.keys()],
    }),
    close: async () => {
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const publisher of connections) publisher.disconnect();
      for (const streamId of [...feeds.keys()]) end(streamId);
      await stopped;
    },
  };
}
