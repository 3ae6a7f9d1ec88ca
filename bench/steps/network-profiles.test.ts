import { describe, expect, it } from 'vitest';
import { linkemSpec } from '../infra/linkem';
import { NETWORK_PROFILES, profileSchedule, selectProfiles, settingAt } from './network-profiles';

const profile = (id: string) => {
  const found = NETWORK_PROFILES.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no profile ${id}`);
  return found;
};

describe('network profiles', () => {
  it('are the issue’s five links, the round trip split between the two directions', () => {
    const links = NETWORK_PROFILES.map(({ id, phases }) => {
      const { down, up } = phases[0]!.setting;
      return { id, mbps: down.rate / 1e6, rtt: down.delay + up.delay, jitter: down.jitter, loss: down.loss };
    });
    expect(links).toEqual([
      { id: 'A', mbps: 50, rtt: 10, jitter: 0, loss: 0 },
      { id: 'B', mbps: 10, rtt: 40, jitter: 5, loss: 0 },
      { id: 'C', mbps: 4, rtt: 80, jitter: 0, loss: 1 },
      { id: 'D', mbps: 1.5, rtt: 150, jitter: 0, loss: 0 },
      { id: 'E', mbps: 20, rtt: 40, jitter: 0, loss: 0 },
    ]);
  });

  it('leave the uplink unlimited and clean', () => {
    for (const { phases } of NETWORK_PROFILES) {
      for (const { setting } of phases) expect(setting.up).toMatchObject({ rate: 0, jitter: 0, loss: 0 });
    }
  });

  it('spell each direction the way linkem reads it', () => {
    expect(linkemSpec(profile('C').phases[0]!.setting.down)).toBe('rate=4000000,delay=40,jitter=0,loss=1');
  });
});

describe('profileSchedule', () => {
  it('steps E from 20 to 3 to 20 Mbit/s at the thirds of a 60 s run', () => {
    const schedule = profileSchedule(profile('E'), 60_000);
    expect(schedule.map(({ atMs, setting }) => [atMs, setting.down.rate / 1e6])).toEqual([
      [0, 20],
      [20_000, 3],
      [40_000, 20],
    ]);
  });

  it('shortens E’s steps with the run', () => {
    expect(profileSchedule(profile('E'), 15_000).map((change) => change.atMs)).toEqual([0, 5000, 10_000]);
  });

  it('holds a steady profile for the whole run', () => {
    expect(profileSchedule(profile('A'), 60_000)).toHaveLength(1);
  });

  it('gives the setting in force at any time', () => {
    const schedule = profileSchedule(profile('E'), 60_000);
    expect(settingAt(schedule, 0).down.rate).toBe(20e6);
    expect(settingAt(schedule, 19_999).down.rate).toBe(20e6);
    expect(settingAt(schedule, 20_000).down.rate).toBe(3e6);
    expect(settingAt(schedule, 59_000).down.rate).toBe(20e6);
  });
});

describe('selectProfiles', () => {
  it('is all five by default, or the letters asked for in the issue’s order', () => {
    expect(selectProfiles(undefined).map((p) => p.id)).toEqual(['A', 'B', 'C', 'D', 'E']);
    expect(selectProfiles('d, c').map((p) => p.id)).toEqual(['C', 'D']);
  });

  it('refuses an unknown letter instead of running less than asked', () => {
    expect(() => selectProfiles('C,F')).toThrow(/unknown profile\(s\) F/);
  });
});
