import { describe, expect, it } from 'vitest';
import type { RelayedPiece } from './broadcast-sharing';
import { decodeInit, decodeRelayedEntry, encodeInit, encodeRelayedEntry } from './relayed-piece-codec';

describe('relayed piece codec', () => {
  it('round-trips init and media pieces, restarts and ends', () => {
    const entries = [
      { kind: 'init', slot: 'container', bytes: Buffer.from([1, 2, 3]) },
      { kind: 'init', slot: 'video-config', bytes: Buffer.alloc(0) },
      { kind: 'media', keyframe: true, timeMs: 1234.5, bytes: Buffer.from('frame') },
      { kind: 'media', keyframe: false, timeMs: 0, bytes: Buffer.from('delta') },
      { kind: 'restart' },
      { kind: 'end' },
    ] as const;
    for (const entry of entries) expect(decodeRelayedEntry(encodeRelayedEntry(entry))).toEqual(entry);
  });

  it('keeps an init’s slots in order in one value', () => {
    const init: RelayedPiece[] = [
      { kind: 'init', slot: 'container', bytes: Buffer.from('header') },
      { kind: 'init', slot: 'meta', bytes: Buffer.from('metadata') },
    ];
    expect(decodeInit(encodeInit(init))).toEqual(init);
    expect(decodeInit(Buffer.alloc(0))).toEqual([]);
  });

  it('gives null for bytes that are no entry', () => {
    for (const bytes of [
      Buffer.alloc(0),
      Buffer.from([9]),
      Buffer.from([0, 5, 65]),
      Buffer.from([1, 1]),
      Buffer.from([2, 0]),
    ]) {
      expect(decodeRelayedEntry(bytes)).toBeNull();
    }
  });
});
