/**
 * How the player receives the picture. `ws`: JPEG frames and PCM over the WebSocket (lowest latency). `hls`:
 * the server's HLS ladder through hls.js (reach, a few seconds of latency). `auto`: WebSocket, falling back to
 * HLS when the socket cannot connect and the video offers HLS.
 */
export type TransportMode = 'ws' | 'hls' | 'auto';

const TRANSPORT_MODES: readonly TransportMode[] = ['ws', 'hls', 'auto'];

export function isTransportMode(value: unknown): value is TransportMode {
  return TRANSPORT_MODES.includes(value as TransportMode);
}
