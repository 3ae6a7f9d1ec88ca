import type { Page } from 'playwright-core';

const PLAYER_CANVAS = '.onair-player__canvas';

/**
 * A hash of the player's picture (scaled down to 160x90), or null while the canvas has no frame. Read through
 * a second canvas so the probe never touches the player's own drawing context.
 */
export function canvasFingerprint(page: Page): Promise<string | null> {
  return page.evaluate((selector) => {
    const canvas = document.querySelector<HTMLCanvasElement>(selector);
    if (!canvas || canvas.width === 0 || canvas.height === 0) return null;
    const probe = document.createElement('canvas');
    probe.width = 160;
    probe.height = 90;
    const context = probe.getContext('2d');
    if (!context) return null;
    context.drawImage(canvas, 0, 0, probe.width, probe.height);
    const pixels = context.getImageData(0, 0, probe.width, probe.height).data;
    // FNV-1a over the pixels: equal pictures give equal hashes, a moving one a new hash per frame.
    let hash = 0x811c9dc5;
    for (const value of pixels) hash = Math.imul(hash ^ value, 0x01000193);
    return `${canvas.width}x${canvas.height}:${(hash >>> 0).toString(16)}`;
  }, PLAYER_CANVAS);
}

export interface Rgb {
  r: number;
  g: number;
  b: number;
}

/**
 * Mean colour of a rectangle of the picture, given in the source's pixels (`sourceWidth` wide): the canvas is as
 * big as the rung being shown (a 240p rung of a 480p source is half as wide), so the rectangle is scaled to it.
 * Null without a frame.
 */
export function regionColour(
  page: Page,
  region: { x: number; y: number; width: number; height: number; sourceWidth: number },
): Promise<Rgb | null> {
  return page.evaluate(
    ({ selector, x, y, width, height, sourceWidth }) => {
      const canvas = document.querySelector<HTMLCanvasElement>(selector);
      if (!canvas || canvas.width === 0 || canvas.height === 0) return null;
      const scale = canvas.width / sourceWidth;
      const probe = document.createElement('canvas');
      probe.width = Math.max(1, Math.round(width * scale));
      probe.height = Math.max(1, Math.round(height * scale));
      const context = probe.getContext('2d');
      if (!context) return null;
      context.drawImage(
        canvas,
        x * scale,
        y * scale,
        width * scale,
        height * scale,
        0,
        0,
        probe.width,
        probe.height,
      );
      const pixels = context.getImageData(0, 0, probe.width, probe.height).data;
      const sum = { r: 0, g: 0, b: 0 };
      for (let i = 0; i < pixels.length; i += 4) {
        sum.r += pixels[i]!;
        sum.g += pixels[i + 1]!;
        sum.b += pixels[i + 2]!;
      }
      const count = pixels.length / 4;
      return { r: sum.r / count, g: sum.g / count, b: sum.b / count };
    },
    { selector: PLAYER_CANVAS, ...region },
  );
}
