import type { HlsConstructor } from './hls-types';

let loading: Promise<HlsConstructor> | null = null;

/**
 * hls.js, imported on first use only: nothing at module scope, so the kit renders on the server, and a page
 * that never plays HLS never downloads it (Vite and tsup keep a dynamic import as its own chunk).
 */
export function loadHlsJs(): Promise<HlsConstructor> {
  loading ??= import('hls.js').then(
    // hls.js types `on` with its own event map; the player only relies on the structural subset in hls-types.
    (module) => module.default as unknown as HlsConstructor,
    (error: unknown) => {
      loading = null;
      throw error;
    },
  );
  return loading;
}
