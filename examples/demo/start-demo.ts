// The demo is `onair serve` on generated samples: the CLI's server composition, not a copy of it. It is no part
// of the package's API, so it is imported from the package's source.
import {
  type PageServer,
  type PageServerOptions,
  startPageServer,
} from '../../packages/server-middleware/src/cli/serve/page-server';
import { ensurePageBuilt } from './build-page';
import { ensureSampleVideos } from './samples';

/** A video as `liveStream()` takes it: a path, or `{ id, title, input }`. */
export type DemoVideo = PageServerOptions['videos'][number];

/** Where the demo mounts OnAir: `onair serve`'s default, and what the page reads when no server tells it. */
export const DEMO_MOUNT = '/live';

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
  hls?: PageServerOptions['hls'];
  /** Progress lines (sample generation, page build); default `console.log`. */
  log?: (line: string) => void;
}

/** The running demo: its `url` (e.g. `http://127.0.0.1:3000/`), `stats()` and `close()`. */
export type RunningDemo = PageServer;

/**
 * What the demo adds before `onair serve`: the generated samples unless `videos` are given, and a build of the
 * page that is fresh (rebuilt when its sources changed) where the CLI serves it from.
 */
export async function prepareDemo(
  videos: DemoVideo[] | undefined,
  log: (line: string) => void,
): Promise<DemoVideo[]> {
  const chosen = videos ?? (await ensureSampleVideos({ log }));
  await ensurePageBuilt({ log });
  return chosen;
}

/** Starts the demo (samples, page, OnAir at /live) and resolves once it is listening. */
export async function startDemo(options: DemoOptions): Promise<RunningDemo> {
  const videos = await prepareDemo(options.videos, options.log ?? console.log);
  return startPageServer({
    videos,
    port: options.port,
    host: options.host,
    mount: DEMO_MOUNT,
    hls: options.hls ?? false,
  });
}
