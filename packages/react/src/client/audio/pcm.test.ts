import { describe, expect, it } from 'vitest';
import { pcmS16leToFloat32 } from './pcm';

function s16le(...samples: number[]): Uint8Array {
  const bytes = new Uint8Array(samples.length * 2);
  const view = new DataView(bytes.buffer);
  for (const [i, sample] of samples.entries()) view.setInt16(i * 2, sample, true);
  return bytes;
}

describe('pcmS16leToFloat32', () => {
  it('maps the 16-bit range onto [-1, 1)', () => {
    expect(Array.from(pcmS16leToFloat32(s16le(0, 32767, -32768, 16384, -16384)))).toEqual([
      0,
      32767 / 32768,
      -1,
      0.5,
      -0.5,
    ]);
  });

  it('reads little-endian bytes', () => {
    // 0x0100 = 256 little-endian is bytes [0x00, 0x01].
    expect(pcmS16leToFloat32(Uint8Array.of(0x00, 0x01))[0]).toBe(256 / 32768);
  });

  it('reads a payload that starts at an odd offset inside a larger message', () => {
    const message = new Uint8Array(1 + 4);
    message.set(s16le(1000, -1000), 1);
    const samples = pcmS16leToFloat32(message.subarray(1));
    expect(Array.from(samples)).toEqual([1000 / 32768, -1000 / 32768]);
  });

  it('ignores a trailing odd byte', () => {
    expect(pcmS16leToFloat32(Uint8Array.of(0, 0x40, 7)).length).toBe(1);
  });
});
