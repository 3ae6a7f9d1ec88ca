import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { startDemo } from './start-demo';

export type { DemoOptions, DemoVideo, RunningDemo } from './start-demo';
export { startDemo };

async function main(): Promise<void> {
  // `npm start -- a.mp4` runs from the repository root; npm keeps the caller's folder in INIT_CWD.
  const callerDirectory = process.env.INIT_CWD ?? process.cwd();
  const args = process.argv.slice(2);
  const hls = args.includes('--hls');
  const files = args.filter((arg) => arg !== '--hls').map((file) => path.resolve(callerDirectory, file));
  const port = Number(process.env.PORT ?? 3000);
  // Loopback by default: a demo should not be reachable from the network unless asked (HOST=0.0.0.0).
  const host = process.env.HOST ?? '127.0.0.1';
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new Error(`PORT must be 0–65535, got ${process.env.PORT}`);

  const demo = await startDemo({ port, host, hls, ...(files.length ? { videos: files } : {}) });
  console.log(`OnAir demo: ${demo.url}`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      console.log(`${signal} again: exiting now.`);
      process.exit(1);
    }
    stopping = true;
    console.log(`${signal}: stopping (sockets and ffmpeg)…`);
    demo.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

// Imported (by the e2e test or the benchmark) it only exports startDemo; run as a script it is the demo.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
