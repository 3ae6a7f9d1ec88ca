import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { JpegDecodeWorker } from './jpeg-decode-worker';

/** A Worker stand-in: keeps what it was sent, and answers when the test says. */
class FakeWorker {
  static last: FakeWorker | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onerror: (() => void) | null = null;
  readonly sent: { message: { id: number; bytes: Uint8Array }; transfer: Transferable[] }[] = [];
  terminated = false;
  constructor(readonly url: string) {
    FakeWorker.last = this;
  }
  postMessage(message: { id: number; bytes: Uint8Array }, transfer: Transferable[]) {
    this.sent.push({ message, transfer });
  }
  terminate() {
    this.terminated = true;
  }
  reply(data: unknown) {
    this.onmessage?.({ data });
  }
}

const bitmap = () => ({ width: 2, height: 2, close: vi.fn() }) as unknown as ImageBitmap;

describe('JpegDecodeWorker', () => {
  beforeEach(() => {
    vi.stubGlobal('Worker', FakeWorker);
    vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:jpeg-worker');
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  it('sends a copy of the bytes, transferred, and resolves each decode with its own bitmap, in any order', async () => {
    const decoder = JpegDecodeWorker.start()!;
    const fake = FakeWorker.last!;
    expect(fake.url).toBe('blob:jpeg-worker');
    const message = new Uint8Array([0, 1, 2, 0xff, 0xd8, 0xff, 0xd9]);
    const payload = message.subarray(3);
    const first = decoder.decode(payload);
    const second = decoder.decode(payload);
    const [a, b] = fake.sent;
    expect([...a!.message.bytes]).toEqual([0xff, 0xd8, 0xff, 0xd9]);
    expect(a!.transfer).toEqual([a!.message.bytes.buffer]);
    // The message the payload lies in is left whole.
    expect(a!.message.bytes.buffer).not.toBe(message.buffer);
    expect(message.byteLength).toBe(7);
    const [bitmapA, bitmapB] = [bitmap(), bitmap()];
    fake.reply({ id: b!.message.id, bitmap: bitmapB });
    fake.reply({ id: a!.message.id, bitmap: bitmapA });
    await expect(first).resolves.toBe(bitmapA);
    await expect(second).resolves.toBe(bitmapB);
  });

  it('rejects a frame the worker could not decode, and goes on decoding the next', async () => {
    const decoder = JpegDecodeWorker.start()!;
    const fake = FakeWorker.last!;
    const bad = decoder.decode(new Uint8Array([1]));
    fake.reply({
      id: fake.sent[0]!.message.id,
      error: 'InvalidStateError: The source image could not be decoded.',
    });
    await expect(bad).rejects.toThrow('could not be decoded');
    const good = decoder.decode(new Uint8Array([0xff, 0xd8]));
    const image = bitmap();
    fake.reply({ id: fake.sent[1]!.message.id, bitmap: image });
    await expect(good).resolves.toBe(image);
    expect(decoder.failed).toBe(false);
  });

  it('closes a bitmap nobody waits for', () => {
    JpegDecodeWorker.start();
    const image = bitmap();
    FakeWorker.last!.reply({ id: 99, bitmap: image });
    expect(image.close).toHaveBeenCalled();
  });

  it('when its script does not load, refuses what waits and what comes, so the caller decodes elsewhere', async () => {
    const decoder = JpegDecodeWorker.start()!;
    const fake = FakeWorker.last!;
    const waiting = decoder.decode(new Uint8Array([0xff, 0xd8]));
    fake.onerror?.();
    await expect(waiting).rejects.toThrow('did not start');
    expect(decoder.failed).toBe(true);
    expect(fake.terminated).toBe(true);
    await expect(decoder.decode(new Uint8Array([0xff, 0xd8]))).rejects.toThrow('did not start');
  });

  it('is null where the page has no Worker', () => {
    vi.stubGlobal('Worker', undefined);
    expect(JpegDecodeWorker.start()).toBeNull();
  });
});
