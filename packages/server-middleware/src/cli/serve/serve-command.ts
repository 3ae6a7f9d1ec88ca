import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import { type LiveStream, liveStream } from '../../live-stream';
import type { LiveStreamOptions } from '../../options/live-stream-options';
import type { ServeArguments } from '../args/serve-args';
import { CliFailure, ExitCode } from '../cli-error';
import type { CliOutput } from '../cli-output';
import { listenForShutdown } from '../shutdown-signal';
import { demoPageDirectory } from './demo-page-directory';
import { demoPageRoutes } from './demo-page-routes';

const URL_LIKE = /^[A-Za-z][A-Za-z0-9+.-]*:/;

/**
 * Relative file paths are the caller's: under `npm run onair` the process runs in the repository root and
 * npm keeps the caller's folder in INIT_CWD. URLs (rtsp://, srt://) stay as they are.
 */
function resolveInputs(inputs: readonly string[]): string[] {
  const base = process.env.INIT_CWD ?? process.cwd();
  return inputs.map((input) => (URL_LIKE.test(input) ? input : path.resolve(base, input)));
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

function startLiveStream(args: ServeArguments): LiveStream {
  const options: LiveStreamOptions = args.hls ? { hls: true } : {};
  try {
    return liveStream(resolveInputs(args.videos), options);
  } catch (error) {
    // The middleware's own message names the video and what is wrong with it.
    throw new CliFailure((error as Error).message);
  }
}

/** `onair serve`: the demo page at `/`, OnAir at the mount path, until SIGINT or SIGTERM. */
export async function runServe(args: ServeArguments, output: CliOutput): Promise<ExitCode> {
  const live = startLiveStream(args);
  const shutdown = listenForShutdown((signal) => output.err(`${signal} again: exiting now.`));
  const server = createServer();
  try {
    const pageDirectory = await demoPageDirectory(output.err);
    const app = express();
    app.use(args.mount, live);
    app.use(demoPageRoutes(pageDirectory, args.mount));
    server.on('request', app);
    live.attach(server);
    const origin = browsableOrigin(await listen(server, args.port, args.host));
    output.out(`OnAir is serving ${args.videos.length} video(s): ${origin}/`);
    output.out(`  catalog: ${origin}${args.mount}/videos`);
    output.out(`  watch:   onair watch ${origin}${args.mount}`);
    const signal = await shutdown.received;
    output.err(`${signal}: stopping (viewers, ffmpeg, server)…`);
    return ExitCode.Ok;
  } finally {
    await live.close();
    server.closeAllConnections();
    if (server.listening) await new Promise((resolve) => server.close(resolve));
    shutdown.dispose();
  }
}
