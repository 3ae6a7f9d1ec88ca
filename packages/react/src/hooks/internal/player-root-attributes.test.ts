import { describe, expect, it } from 'vitest';
import { initialSnapshot } from '../../client/state/snapshot';
import { readPackageFile } from '../../test-support/package-file';
import { PLAYER_ROOT_ATTRIBUTES, playerRootAttributes } from './player-root-attributes';

const listed = Object.entries(PLAYER_ROOT_ATTRIBUTES).map(([name, { values }]) => [name, values]);

/** The rows of the README's "Data attributes" table whose element is the player root: [attribute, values]. */
function readmePlayerRootRows(): string[][] {
  const readme = readPackageFile('README.md');
  const section = readme.slice(readme.indexOf('### Data attributes'), readme.indexOf('### CSS variables'));
  return section
    .split('\n')
    .map((line) => line.split('|').map((cell) => cell.trim()))
    .filter((cells) => cells[1]?.startsWith('player root'))
    .map((cells) => [(cells[2] ?? '').replace(/`/g, ''), cells[3] ?? '']);
}

describe('the player root attributes', () => {
  it('are the rows of the README\u2019s "Data attributes" table for the player root, with the same words', () => {
    expect(readmePlayerRootRows()).toEqual(listed);
  });

  it('are the ones the JSDoc of <LiveStreamPlayer> names', () => {
    const source = readPackageFile('src/components/player/live-stream-player.tsx');
    const jsdoc = source.slice(0, source.indexOf('export function LiveStreamPlayer'));
    const doc = jsdoc.slice(jsdoc.lastIndexOf('/**'));
    expect(doc.match(/data-[a-z-]+/g)).toEqual(Object.keys(PLAYER_ROOT_ATTRIBUTES));
  });

  it('read the snapshot: flags present or absent, the HLS level only over HLS', () => {
    const snapshot = { ...initialSnapshot('ws', 'ws'), playing: false };
    expect(playerRootAttributes({ snapshot, fullscreen: true })).toEqual({
      'data-state': 'idle',
      'data-paused': '',
      'data-muted': undefined,
      'data-fullscreen': '',
      'data-audio-blocked': undefined,
      'data-transport': 'ws',
      'data-hls-level': undefined,
      'data-live-edge': undefined,
      'data-audio': undefined,
      'data-off-air': undefined,
    });
    const ended = { ...snapshot, offAir: 'ended' as const };
    expect(playerRootAttributes({ snapshot: ended, fullscreen: false })['data-off-air']).toBe('ended');
    const hls = { ...initialSnapshot('ws', 'hls'), stats: { ...snapshot.stats, rung: 2 } };
    expect(playerRootAttributes({ snapshot: hls, fullscreen: false })['data-hls-level']).toBe(2);
  });

  it('say whether the picture is at the live edge and whether sound plays', () => {
    const base = initialSnapshot('ws', 'ws');
    const read = (stats: Partial<typeof base.stats>) =>
      playerRootAttributes({ snapshot: { ...base, stats: { ...base.stats, ...stats } }, fullscreen: false });
    expect(read({ liveDistanceMs: 400, atLiveEdge: true })['data-live-edge']).toBe('true');
    expect(read({ liveDistanceMs: 3_200, atLiveEdge: false })['data-live-edge']).toBe('false');
    expect(read({ audioState: 'silent' })['data-audio']).toBe('silent');
    expect(read({ audioState: 'playing' })['data-audio']).toBe('playing');
  });
});
