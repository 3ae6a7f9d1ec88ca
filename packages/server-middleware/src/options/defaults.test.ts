import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HLS_DEFAULTS, HUB_DEFAULTS, LIVE_STREAM_DEFAULTS, ROOM_DEFAULTS } from './defaults';

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');
const readme = read('../../README.md');

/** A default as the docs write it: `10 000`, `[360, 480, 720]`, `{ burst: 5, … }`, the emoji with spaces. */
function quoted(value: unknown): string {
  if (typeof value === 'number') return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  if (Array.isArray(value)) {
    return value.every((entry) => typeof entry === 'string')
      ? value.join(' ')
      : `[${value.map(quoted).join(', ')}]`;
  }
  if (typeof value === 'object' && value !== null) {
    return `{ ${Object.entries(value)
      .map(([key, entry]) => `${key}: ${quoted(entry)}`)
      .join(', ')} }`;
  }
  return String(value);
}

/** The text of a README section, from its heading to the next heading of the same level. */
function section(heading: string): string {
  const start = readme.indexOf(`\n${heading}\n`);
  const level = heading.split(' ')[0];
  const end = readme.indexOf(`\n${level} `, start + heading.length + 1);
  return readme.slice(start, end === -1 ? undefined : end);
}

const cells = (line: string) =>
  line
    .split(/(?<!\\)\|/)
    .slice(1, -1)
    .map((cell) => cell.trim());

/** The "Default" cell of `name`'s row (its first cell is the name in backquotes) in the tables of `text`. */
function readmeDefault(text: string, name: string): string {
  const lines = text.split('\n');
  let column = -1;
  for (const [index, line] of lines.entries()) {
    if (lines[index + 1]?.startsWith('| -')) column = cells(line).indexOf('Default');
    if (line.startsWith(`| \`${name}\``)) return cells(line)[column] ?? '';
  }
  return `(no row for ${name})`;
}

/** What the doc comment right above `  name?:` says from its "Default" on, comment stars folded. */
function jsDocDefault(source: string, name: string): string {
  const at = source.indexOf(`\n  ${name}?:`);
  const doc = source.slice(source.lastIndexOf('/**', at), at).replace(/\s*\n\s*\*\s?/g, ' ');
  return doc.includes('Default') ? doc.slice(doc.indexOf('Default') + 'Default'.length).trim() : '';
}

/** `text` states `value` first, or a constant's name and then `value` in parentheses, and no other number. */
function expectStated(text: string, value: unknown): void {
  const escaped = quoted(value).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  expect(text.replaceAll('`', '')).toMatch(new RegExp(`^(?:[A-Z_]+ \\()?${escaped}(?!\\w| \\d)`));
}

const cases: [string, Record<string, unknown>, string, string][] = [
  ['LIVE_STREAM_DEFAULTS', LIVE_STREAM_DEFAULTS, '## Options', 'live-stream-options.ts'],
  ['ROOM_DEFAULTS', ROOM_DEFAULTS, '## Options', 'room-options.ts'],
  ['HLS_DEFAULTS', HLS_DEFAULTS, '## HLS', 'hls-options.ts'],
];

describe.each(cases)('%s', (_name, defaults, heading, file) => {
  const source = read(`./${file}`);

  it.each(Object.entries(defaults))('is what the README table and the JSDoc say for %s', (name, value) => {
    expectStated(readmeDefault(section(heading), name), value);
    expectStated(jsDocDefault(source, name), value);
  });
});

describe('HUB_DEFAULTS', () => {
  it('is what the README and the hubs JSDoc say', () => {
    const chat = section('## Chat, reactions and viewers');
    const redis = read('../hub/redis-hub.ts');
    for (const [name, value] of Object.entries(HUB_DEFAULTS)) {
      expectStated(readmeDefault(chat, name), value);
      expectStated(jsDocDefault(redis, name), value);
    }
    expectStated(jsDocDefault(read('../hub/memory-hub.ts'), 'historySize'), HUB_DEFAULTS.historySize);
  });
});
