#!/usr/bin/env node
import { processOutput } from './cli-output';
import { runCli } from './run-cli';

// Only this file touches the process: `runCli` returns the code, and the process ends when nothing is left
// running (sockets, ffmpeg), which `serve` and `watch` make sure of before they return.
runCli(process.argv.slice(2), processOutput).then(
  (code) => {
    process.exitCode = code;
    // A handle someone forgot (a host's logger, a stuck socket) must not turn a finished command into a hang;
    // unref'd, this timer alone keeps nothing alive.
    setTimeout(() => process.exit(code), 3000).unref();
  },
  (error: unknown) => {
    console.error('onair: unexpected failure:', error);
    process.exitCode = 1;
  },
);
