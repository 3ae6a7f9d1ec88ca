/** The worker's source, loaded from a Blob URL so the package needs no separate file for bundlers to find. */
export const JPEG_DECODE_WORKER_SOURCE = `
self.onmessage = async (event) => {
  const { id, bytes } = event.data;
  try {
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/jpeg' }));
    self.postMessage({ id, bitmap }, [bitmap]);
  } catch (error) {
    self.postMessage({ id, error: String(error) });
  }
};
`;

interface Reply {
  id: number;
  bitmap?: ImageBitmap;
  error?: string;
}

interface Pending {
  resolve(bitmap: ImageBitmap): void;
  reject(error: Error): void;
}

/**
 * JPEG frames decoded in a dedicated worker. Chromium registers every `Blob` with its browser process, and the
 * registration waits on the thread that made the Blob: 50–70 ms at times on a busy machine. Made on the main
 * thread, that wait held back the audio it was about to pass to the worklet, and the sound ran dry (issue 9: an
 * audio gap around 15 s into most runs of the networks bench). Here it waits in the worker instead.
 */
export class JpegDecodeWorker {
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private broken = false;

  private constructor(
    private readonly worker: Worker,
    url: string,
  ) {
    worker.onmessage = (event: MessageEvent<Reply>) => {
      URL.revokeObjectURL(url);
      const { id, bitmap, error } = event.data;
      const pending = this.pending.get(id);
      this.pending.delete(id);
      if (!pending) bitmap?.close();
      else if (bitmap) pending.resolve(bitmap);
      else pending.reject(new Error(error ?? 'the JPEG did not decode'));
    };
    // The script did not load (a Content-Security-Policy without blob: workers, say): decode on this thread.
    worker.onerror = () => {
      URL.revokeObjectURL(url);
      this.fail();
    };
  }

  /** A worker, or null where the page cannot start one (no Worker, or the browser refused it). */
  static start(): JpegDecodeWorker | null {
    if (typeof Worker !== 'function' || typeof URL.createObjectURL !== 'function') return null;
    const url = URL.createObjectURL(new Blob([JPEG_DECODE_WORKER_SOURCE], { type: 'text/javascript' }));
    try {
      return new JpegDecodeWorker(new Worker(url), url);
    } catch {
      URL.revokeObjectURL(url);
      return null;
    }
  }

  /** It failed to start: every decode asked of it was refused, and the caller decodes elsewhere from now on. */
  get failed(): boolean {
    return this.broken;
  }

  decode(payload: Uint8Array): Promise<ImageBitmap> {
    if (this.broken) return Promise.reject(new Error('the JPEG decode worker did not start'));
    const id = this.nextId++;
    // A copy, transferred: the message the payload lies in stays whole for whoever else reads it.
    const bytes = payload.slice();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, bytes }, [bytes.buffer]);
    });
  }

  private fail(): void {
    this.broken = true;
    this.worker.terminate();
    const error = new Error('the JPEG decode worker did not start');
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}
