import { Agent } from 'node:http';
import { hlsGet, listedSegments, renditionPaths } from './hls-http';
import { cpuPercent } from './proc-stats';
import type { ServerChild } from './server-child';
import { DelayHistogram } from './statistics';

export interface HlsLoadResult {
  requesters: number;
  seconds: number;
  rendition: string;
  requests: number;
  requestsPerSecond: number;
  failed: number;
  playlistP50Ms: number;
  playlistP99Ms: number;
  segmentP50Ms: number;
  segmentP99Ms: number;
  allP99Ms: number;
  meanSegmentKb: number;
  serverCpuPercent: number;
}

const WARM_UP_MS = 2000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `requesters` players on one rendition, each on its own keep-alive socket: every segment duration, fetch the
 * playlist, then the newest segment if it is new to this player (what hls.js does at the live edge). Starts are
 * spread over one segment duration, as real players' are. Per-request time = request sent → last byte, on sockets
 * opened beforehand (a player's connection outlives its first request).
 */
export async function runHlsLoadStep(
  server: ServerChild,
  requesters: number,
  segmentSeconds: number,
  seconds: number,
): Promise<HlsLoadResult> {
  const base = `${server.httpUrl}/hls/bench`;
  const master = await hlsGet(`${base}/master.m3u8`);
  const path = renditionPaths(master.body.toString()).at(-1);
  if (!path) throw new Error('master playlist lists no rendition');
  const playlistUrl = `${base}/${path}`;
  const segmentBase = playlistUrl.replace(/index\.m3u8$/, '');
  // maxFreeSockets defaults to 256: the other sockets would be closed between polls and reconnect every second.
  const agent = new Agent({ keepAlive: true, maxSockets: requesters, maxFreeSockets: requesters });
  const playlists = new DelayHistogram();
  const segments = new DelayHistogram();
  const all = new DelayHistogram();
  let failed = 0;
  let segmentBytes = 0;
  const periodMs = segmentSeconds * 1000;
  // Open every keep-alive socket first, spread over two seconds: a thousand connects at once would fill the
  // listen backlog and measure SYN retries (1 s, 3 s) rather than the middleware.
  await Promise.all(
    Array.from({ length: requesters }, async (_, index) => {
      await sleep((index / requesters) * WARM_UP_MS);
      await hlsGet(playlistUrl, agent).catch(() => undefined);
    }),
  );
  const serverBefore = server.sample();
  const deadline = performance.now() + seconds * 1000;

  const requester = async (index: number) => {
    await sleep((index / requesters) * periodMs);
    let newest = -1;
    while (performance.now() < deadline) {
      const started = performance.now();
      try {
        const playlist = await hlsGet(playlistUrl, agent);
        playlists.add(playlist.ms);
        all.add(playlist.ms);
        if (playlist.status !== 200) failed++;
        const segment = listedSegments(playlist.body.toString()).at(-1);
        if (segment && segment.number > newest) {
          const download = await hlsGet(`${segmentBase}${segment.uri}`, agent);
          segments.add(download.ms);
          all.add(download.ms);
          if (download.status === 200) {
            newest = segment.number;
            segmentBytes += download.body.length;
          } else failed++;
        }
      } catch {
        failed++;
      }
      await sleep(Math.max(0, periodMs - (performance.now() - started)));
    }
  };
  await Promise.all(Array.from({ length: requesters }, (_, index) => requester(index)));
  const serverAfter = server.sample();
  agent.destroy();
  return {
    requesters,
    seconds,
    rendition: path.split('/')[0] ?? path,
    requests: all.count,
    requestsPerSecond: all.count / seconds,
    failed,
    playlistP50Ms: playlists.percentile(50),
    playlistP99Ms: playlists.percentile(99),
    segmentP50Ms: segments.percentile(50),
    segmentP99Ms: segments.percentile(99),
    allP99Ms: all.percentile(99),
    meanSegmentKb: segments.count ? segmentBytes / segments.count / 1024 : Number.NaN,
    serverCpuPercent: cpuPercent(serverBefore, serverAfter),
  };
}
