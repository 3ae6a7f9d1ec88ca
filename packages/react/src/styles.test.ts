import { describe, expect, it } from 'vitest';
import { contrastRatio, over, parseColor, type Rgba } from './test-support/contrast';
import { readPackageFile } from './test-support/package-file';

// The default theme's colours, read from styles.css as a browser would apply them, checked pair by pair: every
// text colour on every background it is drawn on (issue 11: the dark palette alone gave 1.1:1 on a white page).

const css = readPackageFile('src/styles.css').replace(/\/\*[\s\S]*?\*\//g, '');
const DARK_MEDIA = '@media (prefers-color-scheme: dark)';

function declarations(body: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const [, name, value] of body.matchAll(/(--onair-[\w-]+)\s*:\s*([^;]+);/g))
    found.set(name as string, (value as string).trim());
  return found;
}

/** Every declaration of the rules written exactly `selector { … }` in `text`, later ones winning. */
function rules(text: string, selector: string): Map<string, string> {
  const merged = new Map<string, string>();
  const escaped = selector.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  for (const [, body] of text.matchAll(new RegExp(`(?:^|[}\\s])${escaped}\\s*\\{([^{}]*)\\}`, 'g'))) {
    for (const [name, value] of declarations(body as string)) merged.set(name, value);
  }
  return merged;
}

const mediaStart = css.indexOf(DARK_MEDIA);
const mediaEnd = css.indexOf('}\n}', mediaStart) + 3;
const darkMedia = css.slice(mediaStart, mediaEnd);
const outsideMedia = css.slice(0, mediaStart) + css.slice(mediaEnd);

const shared = rules(css.slice(0, mediaStart), ':where(:root)');
const light = rules(outsideMedia, ':where(:root)');
const dark = new Map([...light, ...rules(darkMedia, ':where(:root)')]);
const forcedLight = rules(outsideMedia, ':where([data-onair-theme="light"])');
const forcedDark = rules(outsideMedia, ':where([data-onair-theme="dark"])');

/** The variables a palette sets: those the dark scheme changes. */
const paletteNames = [...rules(darkMedia, ':where(:root)').keys()];

const WHITE = parseColor('#ffffff');
const BLACK = parseColor('#000000');

function contrastPairs(palette: Map<string, string>): Array<[string, number]> {
  const color = (name: string): Rgba => parseColor(palette.get(name) ?? `missing ${name}`);
  // The page under the components: a light page for the light palette, a dark one for the dark palette.
  const page = color('--onair-bg');
  const surface = over(color('--onair-surface'), page);
  const pinned = over(color('--onair-chat-pinned-bg'), surface);
  // Overlays and the stats panel cover the picture; before the first frame that is the canvas's black.
  const overlay = over(color('--onair-overlay-bg'), BLACK);
  const text: Array<[string, string, Rgba]> = [
    ['--onair-fg', 'page', page],
    ['--onair-fg', 'surface (controls, cards, chat)', surface],
    ['--onair-fg', 'pinned message', pinned],
    ['--onair-fg', 'overlay', overlay],
    ['--onair-muted-fg', 'page', page],
    ['--onair-muted-fg', 'surface', surface],
    ['--onair-muted-fg', 'pinned message', pinned],
    ['--onair-muted-fg', 'overlay (stats labels)', overlay],
    ['--onair-danger', 'page', page],
    ['--onair-danger', 'surface', surface],
    ['--onair-danger', 'overlay (player error)', overlay],
    ['--onair-chat-name-fg', 'surface', surface],
    ['--onair-chat-name-fg', 'pinned message', pinned],
  ];
  return [
    ...text.map(([fg, on, bg]): [string, number] => [`${fg} on ${on}`, contrastRatio(color(fg), bg)]),
    ['white on --onair-accent', contrastRatio(WHITE, color('--onair-accent'))],
    ['white on --onair-live', contrastRatio(WHITE, color('--onair-live'))],
  ];
}

describe('the default theme (styles.css)', () => {
  it('has a light palette, a dark one under prefers-color-scheme: dark, and the same colours forced by data-onair-theme', () => {
    expect(paletteNames).toEqual(
      expect.arrayContaining([
        '--onair-bg',
        '--onair-fg',
        '--onair-muted-fg',
        '--onair-surface',
        '--onair-danger',
      ]),
    );
    for (const name of paletteNames) expect(light.get(name), name).not.toBe(dark.get(name));
    expect(Object.fromEntries(forcedLight)).toEqual(
      Object.fromEntries(paletteNames.map((n) => [n, light.get(n)])),
    );
    expect(Object.fromEntries(forcedDark)).toEqual(
      Object.fromEntries(paletteNames.map((n) => [n, dark.get(n)])),
    );
  });

  it.each([
    ['light', light],
    ['dark', dark],
  ])('gives every text at least 4.5:1 in the %s palette', (_name, palette) => {
    const failing = contrastPairs(palette).filter(([, ratio]) => ratio < 4.5);
    expect(failing).toEqual([]);
  });

  it('is the theme the README documents, variable by variable', () => {
    const readme = readPackageFile('README.md');
    const rows = new Map<string, string[]>();
    for (const [, name, cells] of readme.matchAll(/^\| `(--onair-[\w-]+)`\s*\|(.*)$/gm)) {
      rows.set(
        name as string,
        (cells as string).split('|').map((cell) => cell.trim().replace(/^`|`$/g, '')),
      );
    }
    for (const name of paletteNames)
      expect(rows.get(name)?.slice(0, 2), name).toEqual([light.get(name), dark.get(name)]);
    for (const [name, value] of shared) {
      if (paletteNames.includes(name)) continue;
      expect(rows.get(name)?.[0], name).toBe(value.startsWith('system-ui') ? 'system-ui, …' : value);
    }
    expect([...rows.keys()].sort()).toEqual([...new Set([...shared.keys(), ...paletteNames])].sort());
  });
});
