import type { LinkDirection, LinkSetting } from '../infra/linkem';

/** One stretch of a profile: from `fromFraction` of the run (0–1) on, the link is `setting`. */
export interface ProfilePhase {
  fromFraction: number;
  setting: LinkSetting;
}

export interface NetworkProfile {
  id: 'A' | 'B' | 'C' | 'D' | 'E';
  /** For people: what the issue calls the profile. */
  label: string;
  /** Phases in order, the first from 0. */
  phases: readonly ProfilePhase[];
}

const QUIET: LinkDirection = { rate: 0, delay: 0, jitter: 0, loss: 0 };

/**
 * A link of `downMbps` towards the player and an unlimited uplink (the issue gives no uplink rate), with the
 * round trip split evenly between the two directions. Jitter and loss are on the downlink only, where the
 * media flows: that is what the player feels; the uplink carries acks, feedback and HTTP requests.
 */
function link(downMbps: number, rttMs: number, extra: Partial<Pick<LinkDirection, 'jitter' | 'loss'>> = {}) {
  const oneWay = rttMs / 2;
  return {
    down: { ...QUIET, rate: downMbps * 1_000_000, delay: oneWay, ...extra },
    up: { ...QUIET, delay: oneWay },
  };
}

const steady = (setting: LinkSetting): ProfilePhase[] => [{ fromFraction: 0, setting }];

/**
 * The five profiles. E gives no round trip; it gets 40 ms, B's. Each profile runs for the whole run
 * length; E's three steps are thirds of it (20 s each at the full 60 s).
 */
export const NETWORK_PROFILES: readonly NetworkProfile[] = [
  { id: 'A', label: '50 Mbit/s, 10 ms RTT', phases: steady(link(50, 10)) },
  { id: 'B', label: '10 Mbit/s, 40 ms RTT, ±5 ms jitter', phases: steady(link(10, 40, { jitter: 5 })) },
  { id: 'C', label: '4 Mbit/s, 80 ms RTT, 1 % loss', phases: steady(link(4, 80, { loss: 1 })) },
  { id: 'D', label: '1.5 Mbit/s, 150 ms RTT', phases: steady(link(1.5, 150)) },
  {
    id: 'E',
    label: '20 → 3 → 20 Mbit/s, 40 ms RTT',
    phases: [
      { fromFraction: 0, setting: link(20, 40) },
      { fromFraction: 1 / 3, setting: link(3, 40) },
      { fromFraction: 2 / 3, setting: link(20, 40) },
    ],
  },
];

/** A link change due at `atMs` after the run's start. */
export interface ScheduledChange {
  atMs: number;
  setting: LinkSetting;
}

/** When each phase of `profile` starts, in a run of `runMs`. The first is the setting the link starts with. */
export function profileSchedule(profile: NetworkProfile, runMs: number): ScheduledChange[] {
  return profile.phases.map((phase) => ({
    atMs: Math.round(phase.fromFraction * runMs),
    setting: phase.setting,
  }));
}

/** The setting in force at `atMs` into the run. */
export function settingAt(schedule: readonly ScheduledChange[], atMs: number): LinkSetting {
  let current = schedule[0];
  if (!current) throw new Error('empty schedule');
  for (const change of schedule) if (change.atMs <= atMs) current = change;
  return current.setting;
}

/** `BENCH_NETWORK_PROFILES=C,D` runs some profiles only; unknown letters are an error, not a silent skip. */
export function selectProfiles(list: string | undefined): NetworkProfile[] {
  if (!list) return [...NETWORK_PROFILES];
  const wanted = list
    .split(',')
    .map((id) => id.trim().toUpperCase())
    .filter(Boolean);
  const unknown = wanted.filter((id) => !NETWORK_PROFILES.some((profile) => profile.id === id));
  if (unknown.length)
    throw new Error(`BENCH_NETWORK_PROFILES: unknown profile(s) ${unknown.join(', ')} (A–E)`);
  return NETWORK_PROFILES.filter((profile) => wanted.includes(profile.id));
}
