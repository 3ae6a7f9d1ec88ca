/**
 * hls.js settings for a live channel. With the server's 1–2 s segments, two segments behind the edge keeps
 * latency near 3 s without stalling on a slow segment; past five the player jumps back to the edge, and in
 * between it catches up by playing up to 1.5× (hls.js `maxLiveSyncPlaybackRate`), which is barely audible.
 */
export const HLS_LIVE_CONFIG = {
  liveSyncDurationCount: 2,
  liveMaxLatencyDurationCount: 5,
  maxLiveSyncPlaybackRate: 1.5,
  // A live player never seeks back far: keep the back buffer small so memory stays flat over hours.
  backBufferLength: 10,
  lowLatencyMode: false,
} as const;

/** Native HLS (Safari without MSE) has no sync position: resume this far behind the end of the seekable range. */
export const NATIVE_LIVE_EDGE_OFFSET_S = 3;

/** How often the player reads latency, buffer, bitrate and frame counts. */
export const HLS_STATS_INTERVAL_MS = 500;
