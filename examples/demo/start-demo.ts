import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type HlsOptions, type LiveStreamStats, liveStream } from '@onair/server-middleware';
import express from 'express';
import { ensurePageBuilt } from './build-page';
import { ensureSampleVideos } from './samples';

/** A video as `liveStream()` takes it: a path, or `{ id, title, input }`. */
export type DemoVideo = Parameters<typeof liveStream>[0][number];

export interface DemoOptions {
  /** 0 picks a free port. */
  port: number;
  host: string;
  /** What to stream; default the three generated samples. */
  videos?: DemoVideo[];
  /**
   * Also package every channel as HLS (an ffmpeg x264 ladder per watched channel: costs a core or so); options
   * as `liveStream`'s `hls` (the benchmark asks for 1 s segments).
   */
  hls?: boolean | HlsOptions;
  /** Progress lines (sample generation, page build); default `console.log`. */
  log?: (line: string) => void;
}

export interface RunningDemo {
  /** The page's URL, e.g. `http://127.0.0.1:3000/`. */
  url: string;
  /** The middleware's `live.stats()`: channels, sessions, HLS packagers (with their ffmpeg pids). */
  stats(): LiveStreamStats;
  close(): Promise<void>;
}

function browsableUrl(address: AddressInfo): string {
  // A wildcard address is where the server listens, not where a browser can go: show loopback instead.
  const host = address.address === '0.0.0.0' || address.address === '::' ? 'localhost' : address.address;
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}/`;
}

/** Starts the demo (samples, page, Express app with OnAir at /live) and resolves once it is listening. */
export async function startDemo(options: DemoOptions): Promise<RunningDemo> {
  const log = options.log ?? console.log;
  const videos = options.videos ?? (await ensureSampleVideos({ log }));
  const pageDirectory = await ensurePageBuilt({ log });

  const live = liveStream(videos, { hls: options.hls ?? false });
  const app = express();
  app.use('/live', live);
  app.use(express.static(pageDirectory));

  const server = createServer(app);
  live.attach(server);
  server.listen(options.port, options.host);
  try {
    await once(server, 'listening');
  } catch (error) {
    await live.close();
    throw error;
  }

  return {
    url: browsableUrl(server.address() as AddressInfo),
    stats: () => live.stats(),
    async close() {
      await live.close();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
