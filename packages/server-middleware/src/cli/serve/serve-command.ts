import { describeFfmpeg } from '../../ffmpeg';
import { ExitCode } from '../cli-error';
import type { CliOutput } from '../cli-output';
import { listenForShutdown } from '../shutdown-signal';
import { type PageServerOptions, startPageServer } from './page-server';

/**
 * `onair serve`: the demo page at `/`, OnAir at the mount path, until SIGINT or SIGTERM. `npm start` runs it
 * too, once it has its sample videos and a fresh build of the page.
 */
export async function runServe(options: PageServerOptions, output: CliOutput): Promise<ExitCode> {
  const shutdown = listenForShutdown((signal) => output.err(`${signal} again: exiting now.`));
  try {
    const server = await startPageServer(options);
    try {
      output.out(`OnAir is serving ${options.videos.length} video(s): ${server.url}`);
      output.out(`  catalog: ${server.origin}${options.mount}/videos`);
      output.out(`  watch:   onair watch ${server.origin}${options.mount}`);
      // An ffmpeg older than 4.0 is also warned about on stderr, by the middleware's (console) logger.
      output.out(`  ffmpeg:  ${describeFfmpeg(server.ffmpeg)}`);
      const signal = await shutdown.received;
      output.err(`${signal}: stopping (viewers, ffmpeg, server)…`);
      return ExitCode.Ok;
    } finally {
      await server.close();
    }
  } finally {
    shutdown.dispose();
  }
}
