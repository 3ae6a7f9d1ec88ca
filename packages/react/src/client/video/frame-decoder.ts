import { JpegDecodeWorker } from './jpeg-decode-worker';

/** Whether this environment can decode JPEG off the main thread (jsdom and old browsers cannot). */
export function canDecodeFrames(): boolean {
  return typeof createImageBitmap === 'function' && typeof Blob === 'function';
}

// One worker for every player of the page, started by the first frame (never at import: SSR stays safe).
let worker: JpegDecodeWorker | null | undefined;

/**
 * Decodes one JPEG. `createImageBitmap` on a Blob decodes on a browser worker thread, so a frame never blocks
 * the main thread's rendering; the Blob is made in our own worker (./jpeg-decode-worker.ts says why), or here
 * where the page cannot start one.
 */
export function decodeJpeg(payload: Uint8Array): Promise<ImageBitmap> {
  if (worker === undefined) worker = JpegDecodeWorker.start();
  if (worker && !worker.failed) return worker.decode(payload);
  return createImageBitmap(new Blob([payload as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' }));
}
