import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../test/e2e/chromium';
import { inNamespace } from '../infra/network-namespaces';

const WRAPPER_DIRECTORY = new URL('../results/chromium/', import.meta.url);

export interface NamespacedChromium {
  browser: Browser;
  close(): Promise<void>;
}

/**
 * Debian's Chromium inside `namespace`, driven by playwright-core over its usual `--remote-debugging-pipe`:
 * the executable playwright starts is a two-line script that `exec`s `ip netns exec <namespace> chromium`, so the
 * browser is the same process (its pipe descriptors, its pid for playwright to end) but every socket it opens is
 * the client namespace's. A debugging port would not do: it would listen on the namespace's loopback, out of
 * reach of this process.
 *
 * `secureOrigin` (the page's origin, plain http on the server's veth address) is treated as secure, as
 * localhost would be: the player's audio needs AudioWorklet, which exists only in secure contexts, and without
 * this flag the WebSocket path has no sound to measure at all (issue 9 item 4 is that very bug).
 */
export async function launchNamespacedChromium(
  namespace: string,
  secureOrigin: string,
): Promise<NamespacedChromium> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: install it (apt-get install -y chromium) or set CHROMIUM_PATH.`,
    );
  }
  // A fixed path, rewritten each time: nothing is left in /tmp when a run is interrupted.
  mkdirSync(WRAPPER_DIRECTORY, { recursive: true });
  const wrapper = fileURLToPath(new URL(`chromium-in-${namespace}`, WRAPPER_DIRECTORY));
  const line = inNamespace(namespace, CHROMIUM_PATH)
    .map((word) => `'${word.replaceAll("'", "'\\''")}'`)
    .join(' ');
  writeFileSync(wrapper, `#!/bin/sh\nexec ${line} "$@"\n`);
  chmodSync(wrapper, 0o755);
  const browser = await chromium.launch({
    executablePath: wrapper,
    args: [...CHROMIUM_ARGS, `--unsafely-treat-insecure-origin-as-secure=${secureOrigin}`],
    timeout: 30_000,
  });
  return {
    browser,
    async close() {
      await browser.close().catch(() => {});
    },
  };
}
