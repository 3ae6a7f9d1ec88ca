import { describe, expect, it } from 'vitest';
import { OpusGrouper, type TimedPacket } from './opus-grouper';

/** A 20 ms packet starting at `timestamp`, its bytes naming it. */
const packet = (timestamp: number, id = timestamp): TimedPacket => ({
  data: Buffer.from([id & 0xff]),
  timestamp,
  samples: 960,
});

describe('OpusGrouper', () => {
  it('groups 20 ms packets five to a 100 ms message, timed by the first', () => {
    const grouper = new OpusGrouper(100);
    const groups = [0, 20, 40, 60, 80, 100, 120].flatMap((t) => grouper.push(packet(1000 + t)));
    expect(groups).toHaveLength(1);
    expect(groups[0]?.timestamp).toBe(1000);
    expect(groups[0]?.samples).toBe(4800);
    expect(groups[0]?.packets).toHaveLength(5);
    expect(grouper.isEmpty).toBe(false);
  });

  it('hands out a short group on flush, and nothing when there is none', () => {
    const grouper = new OpusGrouper(100);
    grouper.push(packet(1000));
    grouper.push(packet(1020));
    expect(grouper.flush()).toMatchObject({ timestamp: 1000, samples: 1920 });
    expect(grouper.flush()).toBeNull();
    expect(grouper.isEmpty).toBe(true);
  });

  it('starts a new message where the timeline jumps: packets of one message follow without a gap', () => {
    const grouper = new OpusGrouper(100);
    grouper.push(packet(1000));
    grouper.push(packet(1020));
    const done = grouper.push(packet(9000));
    expect(done.map((group) => [group.timestamp, group.packets.length])).toEqual([[1000, 2]]);
    expect(grouper.flush()).toMatchObject({ timestamp: 9000, samples: 960 });
  });

  it('tolerates the rounding of sample times to ms', () => {
    const grouper = new OpusGrouper(40);
    expect(grouper.push(packet(993.5))).toEqual([]);
    expect(grouper.push(packet(1013.5 + 0.0004))).toHaveLength(1);
  });

  it('never waits for a message longer than chunkMs when packets are longer than it', () => {
    const grouper = new OpusGrouper(10);
    expect(grouper.push(packet(0))).toHaveLength(1);
  });
});
