import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import { type LiveStream, liveStream } from '../../live-stream';
import { CliFailure } from '../cli-error';
import { demoPageDirectory } from './demo-page-directory';
import { demoPageRoutes } from './demo-page-routes';
import { SERVER_TIMEOUTS } from './server-timeouts';

type LiveStreamArguments = Parameters<typeof liveStream>;

export interface PageServerOptions {
  /**
   * What `liveStream` takes: files (a relative path is the caller's, see `resolveInputs`), any ffmpeg input, or
   * `{ id, title, input }` entries.
   */
  videos: LiveStreamArguments[0];
  /** 0 picks a free port. */
  port: number;
  host: string;
  /** Where OnAir is mounted (`<mount>/videos`, `<mount>/ws`); the page is told through its meta tag. */
  mount: string;
  hls: NonNullable<LiveStreamArguments[1]>['hls'];
  /** `--id` in order: the nth names the nth video (a path becomes `{ id, input }`). */
  ids?: readonly string[];
  /** `--title` in order, like `ids`. */
  titles?: readonly string[];
  /** `liveStream`'s `maxFps` and `maxHeight`; null or absent for their defaults. */
  maxFps?: number | null;
  maxHeight?: number | null;
}

export interface PageServer {
  /** Where a browser on this machine reaches the server, e.g. `http://127.0.0.1:3000` (no trailing slash). */
  origin: string;
  /** The page: the origin and `/`. */
  url: string;
  /** The ffmpeg the middleware runs (`live.ffmpeg`). */
  ffmpeg: LiveStream['ffmpeg'];
  /** The middleware's `live.stats()`: channels, sessions, HLS packagers (with their ffmpeg pids). */
  stats(): ReturnType<LiveStream['stats']>;
  /** Closes the viewers' sockets, ends ffmpeg and the HTTP server. */
  close(): Promise<void>;
}

const URL_LIKE = /^[A-Za-z][A-Za-z0-9+.-]*:/;

/**
 * Relative file paths are the caller's: under `npm run onair` or `npm start` the process runs in the repository
 * root and npm keeps the caller's folder in INIT_CWD. URLs (rtsp://, srt://) and `{ id, title, input }` entries
 * (given by code, which knows its paths) stay as they are.
 */
function resolveInputs(videos: PageServerOptions['videos']): PageServerOptions['videos'] {
  const base = process.env.INIT_CWD ?? process.cwd();
  return videos.map((video) =>
    typeof video !== 'string' || URL_LIKE.test(video) ? video : path.resolve(base, video),
  );
}

/** Gives the nth video the nth id and title, turning a path into `{ id, title, input }`. */
function nameVideos(
  videos: PageServerOptions['videos'],
  ids: readonly string[],
  titles: readonly string[],
): PageServerOptions['videos'] {
  if (ids.length > videos.length || titles.length > videos.length) {
    throw new CliFailure(
      `${Math.max(ids.length, titles.length)} --id/--title given for ${videos.length} video(s): the nth names the nth video`,
    );
  }
  return videos.map((video, index) => {
    const id = ids[index];
    const title = titles[index];
    if (id === undefined && title === undefined) return video;
    const entry = typeof video === 'string' ? { input: video } : { ...video };
    return { ...entry, ...(id === undefined ? {} : { id }), ...(title === undefined ? {} : { title }) };
  });
}

function browsableOrigin(address: AddressInfo): string {
  // A wildcard address is where the server listens, not where a browser can go: show loopback instead.
  const host = address.address === '0.0.0.0' || address.address === '::' ? 'localhost' : address.address;
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}

async function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  server.listen(port, host);
  try {
    await once(server, 'listening');
  } catch (error) {
    throw new CliFailure(`cannot listen on ${host}:${port}: ${(error as Error).message}`);
  }
  return server.address() as AddressInfo;
}

function startLiveStream(options: PageServerOptions): LiveStream {
  try {
    const videos = nameVideos(resolveInputs(options.videos), options.ids ?? [], options.titles ?? []);
    return liveStream(videos, {
      ...(options.hls ? { hls: options.hls } : {}),
      ...(options.maxFps == null ? {} : { maxFps: options.maxFps }),
      ...(options.maxHeight == null ? {} : { maxHeight: options.maxHeight }),
    });
  } catch (error) {
    // The middleware's own message names the video and what is wrong with it.
    throw new CliFailure((error as Error).message);
  }
}

/**
 * The one server `onair serve` and the repository's demo (`npm start`, the end-to-end tests, the benchmark's
 * player step) run: OnAir at the mount path and the demo page at `/`, on one HTTP server. Resolves once it
 * listens; failures a user can act on (a bad video, a port in use, no page) are `CliFailure`s.
 */
export async function startPageServer(options: PageServerOptions): Promise<PageServer> {
  const pageDirectory = demoPageDirectory();
  const live = startLiveStream(options);
  const app = express();
  app.use(options.mount, live);
  app.use(demoPageRoutes(pageDirectory, options.mount));
  const server = createServer(SERVER_TIMEOUTS, app);
  live.attach(server);
  const close = async () => {
    await live.close();
    server.closeAllConnections();
    if (server.listening) await new Promise((resolve) => server.close(resolve));
  };
  let origin: string;
  try {
    origin = browsableOrigin(await listen(server, options.port, options.host));
  } catch (error) {
    await close();
    throw error;
  }
  return { origin, url: `${origin}/`, ffmpeg: live.ffmpeg, stats: () => live.stats(), close };
}
