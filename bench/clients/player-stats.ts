import type { Page } from 'playwright-core';

/**
 * Opens the player's statistics readout: the toggle sits in the player's Settings menu (issue 12), which is closed
 * again after, so the readout stays on screen with nothing over the picture.
 */
export async function showPlayerStats(page: Page, timeoutMs = 30_000): Promise<void> {
  const player = page.locator('.onair-player').first();
  await player.locator('[data-control="settings"]').click({ timeout: timeoutMs });
  await player.locator('[data-control="stats"]').click({ timeout: timeoutMs });
  await page.keyboard.press('Escape');
}
