import type { LiveStreamSnapshot } from '../../client/state/snapshot';

/** What the player root's attributes are read from: the client's snapshot, and the root's own fullscreen. */
export interface PlayerRootState {
  snapshot: LiveStreamSnapshot;
  fullscreen: boolean;
}

/** Present-or-absent data attributes, so CSS can select `[data-paused]`. */
function flag(on: boolean): '' | undefined {
  return on ? '' : undefined;
}

/**
 * The player root's state attributes, the one list: `useLiveStream` builds `rootProps` from it, and a test holds
 * the README's "Data attributes" table (these names and words, in this order) and `<LiveStreamPlayer>`'s JSDoc
 * to it.
 */
export const PLAYER_ROOT_ATTRIBUTES = {
  'data-state': {
    values: '`idle` · `connecting` · `live` · `buffering` · `reconnecting` · `error`',
    read: ({ snapshot }) => snapshot.status,
  },
  'data-paused': { values: 'present while paused', read: ({ snapshot }) => flag(!snapshot.playing) },
  'data-muted': { values: 'present while muted', read: ({ snapshot }) => flag(snapshot.muted) },
  'data-fullscreen': { values: 'present in fullscreen', read: ({ fullscreen }) => flag(fullscreen) },
  'data-audio-blocked': {
    values: 'present while autoplay holds audio back',
    read: ({ snapshot }) => flag(snapshot.audioBlocked),
  },
  'data-transport': {
    values: "what plays: `hls`, or the WebSocket transport's name (`ws`, `mock`)",
    read: ({ snapshot }) => snapshot.transport,
  },
  'data-hls-level': {
    values: 'over HLS: index of the level playing (hls.js `currentLevel`)',
    read: ({ snapshot: { transport, stats } }) =>
      transport === 'hls' && stats.rung !== null ? stats.rung : undefined,
  },
  'data-live-edge': {
    values: '`true` at the live edge · `false` farther behind than `liveThresholdMs`; absent before a frame',
    read: ({ snapshot: { stats } }) => (stats.liveDistanceMs === null ? undefined : String(stats.atLiveEdge)),
  },
  'data-audio': {
    values: '`playing` · `silent` (the stream has sound, none plays); absent without sound',
    read: ({ snapshot: { stats } }) => (stats.audioState === 'none' ? undefined : stats.audioState),
  },
  'data-off-air': {
    values:
      '`scheduled` · `live` (waiting for its broadcast) · `ended` · `cancelled` · `removed`: the stream is not on air; absent otherwise',
    read: ({ snapshot }) => snapshot.offAir ?? undefined,
  },
} satisfies Record<`data-${string}`, { values: string; read(state: PlayerRootState): unknown }>;

type RootAttributeList = typeof PLAYER_ROOT_ATTRIBUTES;

/** The attributes as props: each name with the type of what it reads. */
export type PlayerRootAttributes = {
  [Name in keyof RootAttributeList]: ReturnType<RootAttributeList[Name]['read']>;
};

export function playerRootAttributes(state: PlayerRootState): PlayerRootAttributes {
  const entries = Object.entries(PLAYER_ROOT_ATTRIBUTES).map(([name, { read }]) => [name, read(state)]);
  return Object.fromEntries(entries) as PlayerRootAttributes;
}
