const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

export interface ShutdownSignal {
  /** Resolves with the first SIGINT or SIGTERM. */
  received: Promise<NodeJS.Signals>;
  /** Stops listening (the process no longer stops on a signal by itself once listened for). */
  dispose(): void;
}

/**
 * Turns Ctrl-C and `kill` into a promise, so a command can shut down cleanly. A second signal while shutting
 * down exits at once with 130, the shell's code for an interrupted command.
 */
export function listenForShutdown(onSecondSignal: (signal: NodeJS.Signals) => void): ShutdownSignal {
  let seen = false;
  let resolve!: (signal: NodeJS.Signals) => void;
  const received = new Promise<NodeJS.Signals>((done) => {
    resolve = done;
  });
  const handler = (signal: NodeJS.Signals) => {
    if (seen) {
      onSecondSignal(signal);
      process.exit(130);
    }
    seen = true;
    resolve(signal);
  };
  for (const signal of SIGNALS) process.on(signal, handler);
  return {
    received,
    dispose: () => {
      for (const signal of SIGNALS) process.off(signal, handler);
    },
  };
}
