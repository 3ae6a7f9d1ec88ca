import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { prebuiltFrame } from './prebuilt-frame';

interface FrameOptions {
  fin: boolean;
  opcode: number;
  mask: boolean;
  readOnly: boolean;
  rsv1: boolean;
}
/** ws's own framing (exported by ws, not declared in @types/ws). */
const { Sender } = createRequire(import.meta.url)('ws') as {
  Sender: { frame(data: Buffer, options: FrameOptions): Buffer[] };
};

/** What `ws.send(message)` writes for a server's message (its header, then the payload). */
function wsFrame(message: Buffer, opcode = 2): Buffer {
  const parts = Sender.frame(message, { fin: true, opcode, mask: false, readOnly: false, rsv1: false });
  return Buffer.concat(parts);
}

describe('prebuiltFrame', () => {
  it.each([0, 1, 125, 126, 127, 65_535, 65_536, 300_000])(
    'writes the bytes ws.send would for a %i-byte message (each length encoding and its edges)',
    (length) => {
      const message = Buffer.alloc(length);
      for (let i = 0; i < length; i++) message[i] = (i * 31) & 0xff;
      expect(prebuiltFrame(message).equals(wsFrame(message))).toBe(true);
    },
  );

  it('writes the bytes ws.send(bytes, { binary: false }) would for a text message', () => {
    const event = Buffer.from('{"type":"viewers","streamId":"a","count":2}');
    expect(prebuiltFrame(event, 'text').equals(wsFrame(event, 1))).toBe(true);
    const long = Buffer.from(JSON.stringify({ text: 'é'.repeat(200) }));
    expect(prebuiltFrame(long, 'text').equals(wsFrame(long, 1))).toBe(true);
  });

  it('keeps the binary and text frames of one Buffer apart', () => {
    const bytes = Buffer.from('{}');
    expect(prebuiltFrame(bytes, 'text')[0]).toBe(0x81);
    expect(prebuiltFrame(bytes, 'binary')[0]).toBe(0x82);
    expect(prebuiltFrame(bytes, 'text')[0]).toBe(0x81);
  });

  it('frames a message once, however many viewers it goes to', () => {
    const message = Buffer.from('one frame for every viewer of a rung');
    const first = prebuiltFrame(message);
    expect(prebuiltFrame(message)).toBe(first);
    // Another message with the same bytes is another frame: the cache is by message, not by content.
    expect(prebuiltFrame(Buffer.from(message))).not.toBe(first);
  });

  it('frames a view into a larger buffer by its own bytes only', () => {
    const backing = Buffer.from('xxxxpayloadyyyy');
    const view = backing.subarray(4, 11);
    expect(prebuiltFrame(view).equals(wsFrame(Buffer.from('payload')))).toBe(true);
  });
});
