import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** Flags for Debian's Chromium on a machine with no network but loopback; shared with the story tests. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // The player starts its AudioContext without a click, as it would after the viewer's first gesture.
  '--autoplay-policy=no-user-gesture-required',
];

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's Chromium (or CHROMIUM_PATH). Missing, it fails the test saying what to do: it never skips. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = CHROMIUM_PATH;
  if (!existsSync(executablePath)) {
    throw new Error(
      `Chromium not found at ${executablePath}: ` +
        'install it (apt-get install -y chromium) or set CHROMIUM_PATH.',
    );
  }
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}
