import { describe, expect, it } from 'vitest';
import { CLUSTER_MS, concatList, joinPartsArgs, recordPartArgs } from './recording-args';

describe('recording arguments', () => {
  it('copies the feed from stdin into Matroska with clusters of at most CLUSTER_MS', () => {
    const args = recordPartArgs('flv', '/r/part-1.mkv');
    expect(args.slice(args.indexOf('-f'), args.indexOf('-i') + 2)).toEqual(['-f', 'flv', '-i', 'pipe:0']);
    expect(args).toContain('copy');
    expect(args[args.indexOf('-cluster_time_limit') + 1]).toBe(String(CLUSTER_MS));
    expect(args.at(-1)).toBe('/r/part-1.mkv');
    expect(args).not.toContain('-c:v');
  });

  it('joins parts with the concat demuxer, never reading stdin', () => {
    const args = joinPartsArgs('/r/parts.txt', '/r/recording.mkv');
    expect(args).toContain('-nostdin');
    expect(args.slice(args.indexOf('concat') - 1, args.indexOf('-i') + 2)).toEqual([
      '-f',
      'concat',
      '-safe',
      '0',
      '-i',
      '/r/parts.txt',
    ]);
    expect(args.at(-1)).toBe('/r/recording.mkv');
  });

  it('quotes each part in the list and escapes quotes', () => {
    expect(concatList(['/r/part-1.mkv', "/it's/part-2.mkv"])).toBe(
      "file '/r/part-1.mkv'\nfile '/it'\\''s/part-2.mkv'\n",
    );
  });
});
