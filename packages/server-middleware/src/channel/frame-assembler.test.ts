import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameAssembler } from './frame-assembler';

describe('FrameAssembler', () => {
  it('returns whole blocks however the stream is split, and holds the remainder', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 64 }),
        fc.uint8Array({ maxLength: 600 }),
        fc.array(fc.integer({ min: 0, max: 100 }), { maxLength: 30 }),
        (blockBytes, stream, cuts) => {
          const assembler = new FrameAssembler(blockBytes);
          const blocks: Buffer[] = [];
          let offset = 0;
          for (const cut of [...cuts, stream.length]) {
            const end = Math.min(stream.length, offset + cut);
            blocks.push(...assembler.push(stream.subarray(offset, end)));
            offset = end;
          }
          const whole = Math.floor(stream.length / blockBytes);
          expect(blocks).toHaveLength(whole);
          expect(Buffer.concat(blocks)).toEqual(Buffer.from(stream.subarray(0, whole * blockBytes)));
          // The held remainder is exactly the stream's tail: topping it up completes one block of it.
          const tail = stream.subarray(whole * blockBytes);
          const fill = Buffer.alloc(blockBytes - tail.length, 7);
          expect(assembler.push(fill)).toEqual([Buffer.concat([tail, fill])]);
        },
      ),
    );
  });

  it('gives every block its own memory, so a kept frame is never overwritten by the next one', () => {
    const assembler = new FrameAssembler(4);
    const [first] = assembler.push(Uint8Array.of(1, 1, 1, 1));
    assembler.push(Uint8Array.of(2, 2, 2, 2, 3, 3));
    expect([...first!]).toEqual([1, 1, 1, 1]);
  });

  it('splits one large chunk holding several frames', () => {
    const assembler = new FrameAssembler(3);
    const blocks = assembler.push(Uint8Array.of(1, 2, 3, 4, 5, 6, 7));
    expect(blocks.map((block) => [...block])).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(assembler.push(Uint8Array.of(8, 9)).map((block) => [...block])).toEqual([[7, 8, 9]]);
  });

  it('refuses a block size that is not a positive integer', () => {
    expect(() => new FrameAssembler(0)).toThrow(RangeError);
    expect(() => new FrameAssembler(2.5)).toThrow(RangeError);
  });
});
