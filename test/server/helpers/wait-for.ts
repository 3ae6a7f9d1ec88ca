/** Polls `condition` every 50 ms until it holds; fails after `timeoutMs` with `describe()` saying what was seen. */
export async function waitFor(
  condition: () => boolean,
  timeoutMs: number,
  describe: () => string = () => '',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
