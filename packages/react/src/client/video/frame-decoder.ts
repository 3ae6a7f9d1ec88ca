/** Whether this environment can decode JPEG off the main thread (jsdom and old browsers cannot). */
export function canDecodeFrames(): boolean {
  return typeof createImageBitmap === 'function' && typeof Blob === 'function';
}

/**
 * Decodes one JPEG. `createImageBitmap` on a Blob decodes on a browser worker thread, so a frame never blocks
 * the main thread's rendering.
 */
export function decodeJpeg(payload: Uint8Array): Promise<ImageBitmap> {
  return createImageBitmap(new Blob([payload as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' }));
}
