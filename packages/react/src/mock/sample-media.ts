import { AUDIO_FORMAT } from '@onair/protocol';

/**
 * Three real 16×9 baseline JPEGs (solid blue, red, green; 268 bytes each), so the mock's frames decode in a
 * browser and a story shows a different colour per video. Made once with sharp; embedded so the mock needs no
 * canvas and stays byte-for-byte deterministic.
 */
const SAMPLE_JPEGS_BASE64 = [
  '/9j/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2P/2wBDARESEhgVGC8aGi9jQjhCY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2P/wAARCAAJABADASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAX/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/8QAFAEBAAAAAAAAAAAAAAAAAAAABf/EABQRAQAAAAAAAAAAAAAAAAAAAAD/2gAMAwEAAhEDEQA/AJIB8a//2Q==',
  '/9j/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2P/2wBDARESEhgVGC8aGi9jQjhCY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2P/wAARCAAJABADASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAT/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/8QAFQEBAQAAAAAAAAAAAAAAAAAABQb/xAAUEQEAAAAAAAAAAAAAAAAAAAAA/9oADAMBAAIRAxEAPwCEAeon/9k=',
  '/9j/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2P/2wBDARESEhgVGC8aGi9jQjhCY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2P/wAARCAAJABADASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAP/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/8QAFQEBAQAAAAAAAAAAAAAAAAAABAX/xAAUEQEAAAAAAAAAAAAAAAAAAAAA/9oADAMBAAIRAxEAPwCAAyM//9k=',
] as const;

const decoded = new Map<number, Uint8Array>();

/** JPEG bytes of sample `index` (wrapping). */
export function sampleJpeg(index: number): Uint8Array {
  const slot =
    ((index % SAMPLE_JPEGS_BASE64.length) + SAMPLE_JPEGS_BASE64.length) % SAMPLE_JPEGS_BASE64.length;
  let bytes = decoded.get(slot);
  if (!bytes) {
    bytes = Uint8Array.from(atob(SAMPLE_JPEGS_BASE64[slot]!), (char) => char.charCodeAt(0));
    decoded.set(slot, bytes);
  }
  return bytes;
}

/** A data: URL of sample `index`, usable as a thumbnail without a server. */
export function sampleJpegDataUrl(index: number): string {
  const slot =
    ((index % SAMPLE_JPEGS_BASE64.length) + SAMPLE_JPEGS_BASE64.length) % SAMPLE_JPEGS_BASE64.length;
  return `data:image/jpeg;base64,${SAMPLE_JPEGS_BASE64[slot]}`;
}

/**
 * One chunk of a quiet 440 Hz tone in the protocol's PCM format (s16le, interleaved stereo, 48 kHz). The phase
 * comes from the absolute sample index, so consecutive chunks join without a click.
 */
export function toneChunk(firstSample: number, durationMs: number): Uint8Array {
  const frames = Math.round((AUDIO_FORMAT.sampleRate * durationMs) / 1000);
  const bytes = new Uint8Array(frames * AUDIO_FORMAT.channels * AUDIO_FORMAT.bytesPerSample);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < frames; i++) {
    const value = Math.round(
      Math.sin((2 * Math.PI * 440 * (firstSample + i)) / AUDIO_FORMAT.sampleRate) * 3000,
    );
    for (let c = 0; c < AUDIO_FORMAT.channels; c++) {
      view.setInt16((i * AUDIO_FORMAT.channels + c) * AUDIO_FORMAT.bytesPerSample, value, true);
    }
  }
  return bytes;
}

/** A beep's length, at the start of every second of the channel clock. */
export const BEEP_MS = 120;

/**
 * One chunk of a countdown-clock sound in the protocol's PCM format: an 880 Hz beep for the first `BEEP_MS` of
 * every second of the channel clock over a quiet 220 Hz hum. Timed by the clock (`startMs`, the channel time of
 * the chunk's first sample) rather than by sample count, so a picture that flashes on the same second (as
 * `createCanvasPicture` draws it) shows whether sound and picture play in sync.
 */
export function beepChunk(startMs: number, durationMs: number): Uint8Array {
  const frames = Math.round((AUDIO_FORMAT.sampleRate * durationMs) / 1000);
  const bytes = new Uint8Array(frames * AUDIO_FORMAT.channels * AUDIO_FORMAT.bytesPerSample);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < frames; i++) {
    const ms = startMs + (i * 1000) / AUDIO_FORMAT.sampleRate;
    const seconds = ms / 1000;
    const inBeep = ((ms % 1000) + 1000) % 1000 < BEEP_MS;
    const value = Math.round(
      Math.sin(2 * Math.PI * 220 * seconds) * 600 +
        (inBeep ? Math.sin(2 * Math.PI * 880 * seconds) * 6000 : 0),
    );
    for (let c = 0; c < AUDIO_FORMAT.channels; c++) {
      view.setInt16((i * AUDIO_FORMAT.channels + c) * AUDIO_FORMAT.bytesPerSample, value, true);
    }
  }
  return bytes;
}
