import type { WatchArguments } from '../args/watch-args';
import { ExitCode } from '../cli-error';
import type { CliOutput } from '../cli-output';
import { listenForShutdown } from '../shutdown-signal';
import { findMount } from './find-mount';
import { liveSocketUrl } from './mount-urls';
import { formatSampleJson, formatSampleText } from './stats-printer';
import { WatchSession } from './watch-session';

const SAMPLE_INTERVAL_MS = 1000;
const CONNECT_TIMEOUT_MS = 15_000;

/**
 * `onair watch`: connects, prints one sample a second, and stops after `--seconds` or on Ctrl-C (exit 0).
 * A connection or protocol failure rejects with a `CliFailure`, which `runAsProcess` prints and exits 1 on.
 */
export async function runWatch(args: WatchArguments, output: CliOutput): Promise<ExitCode> {
  const mountUrl = await findMount(args.mountUrl);
  // Said when the URL given was not the mount, so the next run can give the right one.
  if (mountUrl.href !== args.mountUrl.href) output.err(`OnAir mount found at ${mountUrl.href}`);
  const socketUrl = liveSocketUrl(mountUrl);
  const session = new WatchSession({
    socketUrl,
    videoId: args.videoId,
    connectTimeoutMs: CONNECT_TIMEOUT_MS,
    notice: output.err,
  });
  const shutdown = listenForShutdown(() => session.close());
  const format = args.json ? formatSampleJson : formatSampleText;
  let ticker: NodeJS.Timeout | undefined;
  try {
    const stream = await Promise.race([session.ready, shutdown.received.then(() => null)]);
    if (!stream) return ExitCode.Ok;
    const audio = stream.audio ? `, audio ${stream.audio.channels} ch` : ', no audio';
    output.err(
      `Watching "${stream.videoId}" (${stream.width}x${stream.height} at ${stream.fps} fps${audio}) from ${socketUrl}`,
    );
    const finished = new Promise<void>((resolve) => {
      let printed = 0;
      ticker = setInterval(() => {
        output.out(format(session.takeSample(Date.now())));
        printed += 1;
        if (args.seconds !== undefined && printed >= args.seconds) resolve();
      }, SAMPLE_INTERVAL_MS);
    });
    await Promise.race([finished, session.ended, shutdown.received]);
    return ExitCode.Ok;
  } finally {
    clearInterval(ticker);
    shutdown.dispose();
    session.close();
  }
}
