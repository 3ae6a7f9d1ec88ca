import { randomBytes } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { ErrorCode, MAX_CLIENT_MESSAGE_BYTES } from '@onair/protocol';
import express, { type Express } from 'express';
import { type WebSocket, WebSocketServer } from 'ws';
import { visibleStreams } from './access/visible-streams';
import { Thumbnails } from './catalog/thumbnails';
import { assertServableAtStartup } from './channel/format-probe';
import {
  announceFfmpeg,
  type FfmpegInUse,
  type ProbeResult,
  probeFileSync,
  resolveFfmpegTools,
} from './ffmpeg';
import { SegmentCache } from './hls/segment-cache';
import { mountCatalogRoutes } from './http/catalog-routes';
import { corsHandler } from './http/cors';
import { mountErrorHandler } from './http/error-handler';
import { mountHlsRoutes } from './http/hls-routes';
import { mountSocialRoutes } from './http/social-routes';
import { mountStreamRoutes } from './http/stream-routes';
import { handleAudioUpgradeRequest, handleUpgradeRequest, rejectUpgrade } from './http/upgrade';
import { memoryHub } from './hub/memory-hub';
import { BroadcastOnAir } from './ingest/broadcast-on-air';
import { type RtmpIngest, rtmpIngest } from './ingest/rtmp-ingest';
import { WebSocketIngest } from './ingest/websocket-ingest';
import { shareStreams } from './instances/shared-streams';
import { type LiveStreamOptions, resolveOptions } from './options/live-stream-options';
import { Recordings } from './recording/recordings';
import { RoomActions } from './room/room-actions';
import { Rooms } from './room/rooms';
import { normalizeVideoInput, normalizeVideoInputs, type VideoInput } from './source/video-source';
import type { LiveStreamStats } from './stats';
import { streamCatalog } from './streams/stream-catalog';
import { StreamChannels } from './streams/stream-channels';
import {
  type LiveStreams,
  type StreamChange,
  type StreamChangeListener,
  StreamRegistry,
} from './streams/stream-registry';
import { keepStreamsOnAir } from './streams/streams-on-air';
import { AudioSocketTokens } from './viewer/audio-socket-tokens';
import { carriesForwardedFor, clientAddress } from './viewer/client-address';
import { Heartbeat } from './viewer/heartbeat';
import { refuseExtraSocket, SocketsPerAddress } from './viewer/sockets-per-address';
import { ViewerSession } from './viewer/viewer-session';

/** What `liveStream()` adds to the Express app it returns. */
export interface LiveStreamMembers {
  /** Accepts WebSocket upgrades on `<mount>/ws` from `server`; other paths are left to the host. */
  attach(server: Server): void;
  /**
   * For hosts that route upgrades themselves: takes the request if it is for `<mount>/ws` and returns true,
   * otherwise returns false and leaves the socket alone.
   */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /**
   * Closes every viewer socket (code 1001), ends every ffmpeg process (HLS packagers included, their folders
   * removed), clears every timer, and closes the hub
   * (not the host's Redis client). Idempotent.
   */
  close(): Promise<void>;
  /** A snapshot of channels and viewers, for metrics and benchmarks. */
  stats(): LiveStreamStats;
  /** The ffmpeg every run uses: path, where it was found, version, and whether it is older than 4.0. */
  readonly ffmpeg: FfmpegInUse;
  /**
   * The streams, changed at run time (issue 13): `create`, `start`, `end`, `remove`, `get`, `list`, and one
   * `change` event. The videos given to `liveStream()` are streams here too, live from the start. Also where an
   * ingest attaches a feed (`checkIngestKey`, `attachFeed`).
   */
  readonly streams: LiveStreams;
  /**
   * Starts an RTMP ingest for OBS and ffmpeg (issue 13): server `rtmp://<host>:<port>/live`, stream key the
   * `ingest.key` of `streams.create()`. A publish takes its stream live (a scheduled one starts); a publisher gone
   * for 10 s ends it; ending or removing the stream disconnects it. Needs the optional peer `node-media-server`
   * (~4.4.3). Port 1935 by default, 0 for a free one (`.port`). Closed by `close()`.
   */
  listenRtmp(options?: { port?: number; host?: string }): Promise<RtmpIngest>;
}

/** An Express sub-app (mount it anywhere with `app.use`) that is also the live server's handle. */
export type LiveStream = Express & LiveStreamMembers;

const CLOSE_GRACE_MS = 1_000;
const NON_LITERAL_PATH = /[:*?()[\]{}+]/;

function wait(ms: number): { promise: Promise<void>; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

/**
 * Turns a list of videos into live channels served by an Express sub-app. Everything is checked now: options
 * (a `TypeError` naming the option), the list, and every local file (probed synchronously, an `Error` naming
 * the file and the reason), so a misconfigured host fails at start-up. Other inputs are probed in the
 * background. No process starts before the first viewer unless `eager` is set.
 */
export function liveStream(videos: readonly VideoInput[], options: LiveStreamOptions = {}): LiveStream {
  const resolved = resolveOptions(options);
  const sources = normalizeVideoInputs(videos);
  const tools = resolveFfmpegTools(resolved.logger);
  const ffmpeg = announceFfmpeg(tools.ffmpeg, resolved.logger, resolved.probeTimeoutMs);
  const probes = sources.map((source) =>
    source.kind === 'file' ? probeFileSync(tools, source, resolved.probeTimeoutMs) : null,
  );
  // Channels are opened by the streams' change events, whose errors never reach the caller: a refusal is thrown here.
  sources.forEach((source, index) => {
    const probe = probes[index];
    if (probe) assertServableAtStartup(source, probe, resolved);
  });

  const onAir = new StreamChannels(tools, resolved);
  const { channels, packagers } = onAir;
  const registry = new StreamRegistry(resolved.logger);

  const app = express();
  app.disable('x-powered-by');
  const hub = resolved.room.hub ?? memoryHub();
  hub.useLogger?.(resolved.logger);
  const rooms = new Rooms(hub, resolved.room.viewerCountIntervalMs, resolved.logger);
  const actions = new RoomActions(rooms, resolved.room.reactions);
  const instanceTag = randomBytes(6).toString('hex');
  const sessions = new Set<ViewerSession>();
  const perAddress = new SocketsPerAddress(resolved.maxSocketsPerAddress);
  let warnedUntrustedProxy = false;
  const heartbeat = new Heartbeat(resolved.heartbeatMs, () => sessions);
  const thumbnails = new Thumbnails(tools, resolved);
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_CLIENT_MESSAGE_BYTES,
    // Media is JPEG and PCM: compression would cost CPU per viewer for nothing.
    perMessageDeflate: false,
    clientTracking: false,
  });
  const attached = new Map<Server, (req: IncomingMessage, socket: Duplex, head: Buffer) => void>();
  let closing: Promise<void> | null = null;

  // Where Express mounted us (works in Express 4 and 5, nested apps included): '' at the root.
  const basePath = () => app.path().replace(/\/+$/, '');
  const wsPath = () => `${basePath()}/ws`;
  const audioPath = () => `${basePath()}/audio`;
  const audioSockets = new AudioSocketTokens();
  const catalog = (base: string) => streamCatalog(registry, onAir, base, (id) => recordings.info(id));
  let catalogPush: NodeJS.Timeout | null = null;
  // Changes of one tick (a burst of REST calls, a stream ended and removed) go out as one catalog.
  const pushCatalog = () => {
    catalogPush ??= setTimeout(() => {
      catalogPush = null;
      for (const session of sessions) session.catalogChanged();
    }, 0);
  };
  const startupProbes = new Map<string, ProbeResult>();
  sources.forEach((source, index) => {
    const probe = probes[index];
    if (probe) startupProbes.set(source.id, probe);
  });
  const forgetThumbnail: StreamChangeListener = ({ kind, stream }) => {
    if (kind === 'removed') thumbnails.forget(stream.id);
  };
  registry.on('change', forgetThumbnail);
  const stopFollowing = keepStreamsOnAir({
    registry,
    channels: onAir,
    startupProbes,
    offAir: (id, status) => {
      for (const session of sessions) session.offAir(id, status);
    },
    catalogChanged: pushCatalog,
  });
  // With a hub spanning instances (Redis), streams created at run time and their broadcasts are everyone's.
  const stopSharing = hub.broadcasts
    ? shareStreams({
        registry,
        sharing: hub.broadcasts,
        localIds: new Set(sources.map((source) => source.id)),
        logger: resolved.logger,
      })
    : () => {};

  // Before the routes, so their answers (errors too) and the preflights carry it.
  app.use(['/videos', '/hls'], corsHandler(resolved.cors));
  mountCatalogRoutes(app, {
    options: resolved,
    channels,
    thumbnails,
    catalog,
    isClosing: () => closing !== null,
  });
  // Enough for every rendition's newest few segments of a handful of busy channels (~150 KB each at 480p).
  const segments = new SegmentCache(64);
  mountHlsRoutes(app, { options: resolved, packagers, segments, isClosing: () => closing !== null });
  mountSocialRoutes(app, {
    options: resolved,
    rooms,
    actions,
    hasStream: (id) => registry.get(id) !== undefined,
  });
  mountStreamRoutes(app, { options: resolved, registry, recordingOf: (id) => recordings.info(id) });
  mountErrorHandler(app, resolved);

  /** One more socket from the address Express would give as `req.ip` (the host's `trust proxy` applies). */
  const admit = (ws: WebSocket, req: IncomingMessage): string | null => {
    const address = clientAddress(req, app.get('trust proxy fn'));
    if (perAddress.take(address)) return address;
    refuseExtraSocket(ws, resolved.maxSocketsPerAddress);
    if (!warnedUntrustedProxy && carriesForwardedFor(req) && !app.get('trust proxy')) {
      warnedUntrustedProxy = true;
      resolved.logger.warn(
        'sockets refused past maxSocketsPerAddress carry X-Forwarded-For, but the app does not trust proxies: ' +
          "behind a proxy every viewer has the proxy's address; set the host app's 'trust proxy'",
        { address, maxSocketsPerAddress: resolved.maxSocketsPerAddress },
      );
    }
    return null;
  };

  const accept = (ws: WebSocket, req: IncomingMessage) => {
    const address = admit(ws, req);
    if (address === null) return;
    const session = new ViewerSession(ws, req, {
      options: resolved,
      channels,
      rooms,
      actions,
      instanceTag,
      catalog: async () => {
        const videos = catalog(basePath());
        const { visible } = await visibleStreams(
          resolved,
          req,
          videos.map((video) => video.id),
        );
        return videos.filter((video) => visible.has(video.id));
      },
      offAirStatus: (videoId) => {
        const stream = registry.get(videoId);
        if (!stream || channels.has(videoId)) return null;
        return { videoId, status: stream.status, scheduledAt: stream.scheduledAt };
      },
      audioSockets,
      onClosed: (closed) => {
        sessions.delete(closed);
        perAddress.release(address);
        if (sessions.size === 0) heartbeat.stop();
      },
    });
    if (closing) {
      session.shutdown();
      return;
    }
    sessions.add(session);
    heartbeat.start();
  };

  const broadcastsOnAir = new BroadcastOnAir(registry, resolved);
  const ingest = new WebSocketIngest({
    options: resolved,
    registry,
    onAir: broadcastsOnAir,
    ingestPath: () => `${basePath()}/ingest`,
    isClosing: () => closing !== null,
    viewersOf: (streamId) =>
      [...sessions].filter((session) => session.isGreeted && session.stats().videoId === streamId).length,
  });

  // After the ingest, which ends a stream's feed on the same `ended` change that finishes its recording.
  const recordings = new Recordings({
    registry,
    tools,
    options: resolved,
    replay: (id, path) => {
      const stream = registry.get(id);
      if (!stream) return;
      const source = normalizeVideoInput({ id, title: stream.title, input: path }, `recording of "${id}"`);
      onAir.open(source).wake();
      pushCatalog();
    },
    changed: pushCatalog,
  });

  const rtmpListeners = new Set<RtmpIngest>();
  const listenRtmp = async (listen: { port?: number; host?: string } = {}): Promise<RtmpIngest> => {
    if (closing) throw new Error('liveStream: listenRtmp() called after close()');
    const published = new Set<string>();
    const rtmp = await rtmpIngest({
      ...listen,
      logger: resolved.logger,
      authorize: (key) => {
        const id = registry.streamForIngestKey(key);
        const status = id === null ? undefined : registry.get(id)?.status;
        return status === 'scheduled' || status === 'live' ? id : null;
      },
      onPublish: (streamId, feed) => {
        broadcastsOnAir.fed(streamId, feed, !published.has(streamId));
        published.add(streamId);
      },
      onUnpublish: (streamId) => broadcastsOnAir.lost(streamId),
    });
    const follow = (change: StreamChange) => {
      if (change.kind !== 'ended' && change.kind !== 'removed') return;
      if (!published.delete(change.stream.id)) return;
      broadcastsOnAir.cancelGrace(change.stream.id);
      rtmp.end(change.stream.id);
    };
    registry.on('change', follow);
    rtmpListeners.add(rtmp);
    const close = rtmp.close.bind(rtmp);
    return Object.assign(rtmp, {
      close: async () => {
        registry.off('change', follow);
        rtmpListeners.delete(rtmp);
        await close();
      },
    });
  };

  const handleUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): boolean =>
    handleUpgradeRequest(
      { options: resolved, wss, wsPath, isClosing: () => closing !== null, accept },
      req,
      socket,
      head,
    ) ||
    handleAudioUpgradeRequest(
      {
        options: resolved,
        wss,
        audioPath,
        isClosing: () => closing !== null,
        tokens: audioSockets,
      },
      req,
      socket,
      head,
    ) ||
    ingest.handleUpgrade(req, socket, head);

  const attach = (server: Server): void => {
    if (closing) throw new Error('liveStream: attach() called after close()');
    if (NON_LITERAL_PATH.test(wsPath())) {
      throw new Error(
        `liveStream: mount the app under a literal path (got "${app.path()}") so <mount>/ws is one URL`,
      );
    }
    if (attached.has(server)) return;
    const listener = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (handleUpgrade(req, socket, head)) return;
      // Another listener may own this path; when we are the only one, nobody would ever answer it.
      if (server.listenerCount('upgrade') === 1)
        rejectUpgrade(socket, 404, ErrorCode.NotFound, 'no WebSocket here');
    };
    server.on('upgrade', listener);
    attached.set(server, listener);
  };

  const close = (): Promise<void> => {
    closing ??= (async () => {
      for (const [server, listener] of attached) server.off('upgrade', listener);
      attached.clear();
      heartbeat.stop();
      stopFollowing();
      stopSharing();
      registry.off('change', forgetThumbnail);
      if (catalogPush) clearTimeout(catalogPush);
      const open = [...sessions];
      const allClosed = Promise.all(open.map((session) => session.closed));
      for (const session of open) session.shutdown();
      const grace = wait(CLOSE_GRACE_MS);
      await Promise.race([allClosed, grace.promise]);
      grace.cancel();
      for (const session of open) if (!session.isClosed) session.terminate();
      await allClosed;
      rooms.close();
      segments.clear();
      await recordings.close();
      await hub.close();
      await onAir.closeAll();
      await ingest.close();
      await Promise.all([...rtmpListeners].map((rtmp) => rtmp.close()));
      broadcastsOnAir.close();
      await thumbnails.close();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    })();
    return closing;
  };

  const stats = (): LiveStreamStats => {
    // A socket that has not said hello yet is not a viewer (it may never be one: `helloTimeoutMs`).
    const viewers = [...sessions].filter((session) => session.isGreeted);
    return {
      viewers: viewers.length,
      channels: [...channels.values()].map((channel) => channel.stats()),
      sessions: viewers.map((session) => session.stats()),
      hls: [...(packagers?.values() ?? [])].map((packager) => packager.stats()),
      recordings: recordings.stats(),
    };
  };

  for (const source of sources) registry.adoptLive(source);
  return Object.assign(app, {
    attach,
    handleUpgrade,
    close,
    stats,
    ffmpeg,
    streams: registry as LiveStreams,
    listenRtmp,
  });
}
