import type { VideoInfo } from '@onair/protocol';
import { afterEach, beforeEach, vi } from 'vitest';
import { LiveStreamClient } from '../client/live-stream-client';
import type { LiveStreamClientOptions } from '../client/options';
import { createMockTransport, defaultMockVideos, type MockServer, type MockServerOptions } from '../mock';
import { loadFakeHls } from './fake-hls';

const openClients: (() => void)[] = [];

/** Closes every client (and its in-memory server) a test made. */
function closeTestClients(): void {
  for (const close of openClients.splice(0)) close();
}

// Vitest runs without globals here: what a test opened is closed after it, as render-with-mock does for renders.
afterEach(closeTestClients);

/**
 * A client at `/live` of an in-memory server, closed with that server after the test. `options.transport` replaces
 * the mock's (the mock server is then made but never connected to).
 */
export function createTestClient(
  options: Partial<LiveStreamClientOptions> = {},
  serverOptions: MockServerOptions = {},
): { client: LiveStreamClient; server: MockServer } {
  const transport = createMockTransport(serverOptions);
  const client = new LiveStreamClient({ url: '/live', transport, ...options });
  openClients.push(() => {
    client.close();
    transport.server.close();
  });
  return { client, server: transport.server };
}

/**
 * Fake timers around each test of the file: the client and the mock server run on timers, so `advance` drives
 * both. After each test the clients close first, while the timers they set are still the fake ones.
 */
export function runClientsOnFakeTimers(): void {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    closeTestClients();
    vi.useRealTimers();
  });
}

/** Runs the fake clock forward, letting promises settle on the way. */
export const advance = (ms: number) => vi.advanceTimersByTimeAsync(ms);

/** The mock's videos, the first two with an HLS master playlist as the server's catalog gives it. */
export function hlsCatalog(): VideoInfo[] {
  return defaultMockVideos().map((video, index) =>
    index < 2 ? { ...video, hlsUrl: `/live/hls/${video.id}/master.m3u8` } : video,
  );
}

/** What a client needs to play HLS in jsdom: the HLS catalog over HTTP, and the fake hls.js. */
export const HLS_CLIENT_OPTIONS = {
  fetch: (async () => new Response(JSON.stringify(hlsCatalog()))) as unknown as typeof fetch,
  loadHls: loadFakeHls,
} satisfies Partial<LiveStreamClientOptions>;
