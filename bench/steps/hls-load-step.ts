import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { hlsGet, listedSegments, renditionPaths } from '../clients/hls-http';
import { LeanHttpConnection } from '../clients/lean-http';
import { cpuPercent, machineCpuPercent, sampleMachine } from '../infra/proc-stats';
import { ffmpegCpuPercent, ffmpegCpuSeconds, type ServerChild } from '../infra/server-child';
import { DelayHistogram } from '../infra/statistics';

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
  /** The packager's x264 ladder, % of one core. */
  ffmpegCpuPercent: number;
  /** The requesters (this process), % of one core. */
  requestersCpuPercent: number;
  /** Every process on the machine, % of one core (the ceiling is 100 × cores). */
  machineCpuPercent: number;
  /**
   * Not a target: after the steady load, every requester asks for the playlist at the same instant, then for
   * the same segment at the same instant (a thundering herd, what a CDN in front would absorb).
   */
  burst: {
    playlistP50Ms: number;
    playlistP99Ms: number;
    segmentP50Ms: number;
    segmentP99Ms: number;
    failed: number;
  };
}

/** All connections GET `path` at once; the spread of their times, and how many failed. */
async function herd(connections: LeanHttpConnection[], path: string, keepBody: boolean) {
  const times = new DelayHistogram();
  let failed = 0;
  await Promise.all(
    connections.map(async (connection) => {
      try {
        const response = await connection.get(path, keepBody);
        times.add(response.ms);
        if (response.status !== 200) failed++;
      } catch {
        failed++;
      }
    }),
  );
  return { p50: times.percentile(50), p99: times.percentile(99), failed };
}

const WARM_UP_MS = 2000;

/**
 * `requesters` players on one rendition, each on its own keep-alive connection (`LeanHttpConnection`): every
 * segment duration, fetch the playlist, then the newest segment if it is new to this player (what hls.js does
 * at the live edge). Starts are spread over one segment duration, as real players' are. Per-request time =
 * request written → last byte, on connections opened beforehand (a player's connection outlives its first
 * request).
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
  const { hostname, port, pathname: playlistPath } = new URL(`${base}/${path}`);
  const segmentBase = playlistPath.replace(/index\.m3u8$/, '');
  const playlists = new DelayHistogram();
  const segments = new DelayHistogram();
  const all = new DelayHistogram();
  let failed = 0;
  let segmentBytes = 0;
  const periodMs = segmentSeconds * 1000;
  // Open every connection first, spread over two seconds: a thousand connects at once would fill the listen
  // backlog and measure SYN retries (1 s, 3 s) rather than the middleware.
  const connections = await Promise.all(
    Array.from({ length: requesters }, async (_, index) => {
      await sleep((index / requesters) * WARM_UP_MS);
      const connection = new LeanHttpConnection(hostname, Number(port));
      await connection.ready();
      return connection;
    }),
  );
  const serverBefore = server.sample();
  const machineBefore = sampleMachine();
  const ffmpegBefore = ffmpegCpuSeconds(server);
  const cpuBefore = process.cpuUsage();
  const measuredFrom = performance.now();
  const deadline = performance.now() + seconds * 1000;

  const requester = async (index: number) => {
    const connection = connections[index]!;
    await sleep((index / requesters) * periodMs);
    let newest = -1;
    while (performance.now() < deadline) {
      const started = performance.now();
      try {
        const playlist = await connection.get(playlistPath, true);
        playlists.add(playlist.ms);
        all.add(playlist.ms);
        if (playlist.status !== 200) failed++;
        const segment = listedSegments(playlist.body.toString()).at(-1);
        if (segment && segment.number > newest) {
          const download = await connection.get(`${segmentBase}${segment.uri}`, false);
          segments.add(download.ms);
          all.add(download.ms);
          if (download.status === 200) {
            newest = segment.number;
            segmentBytes += download.length;
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
  const machineAfter = sampleMachine();
  const ffmpegAfter = ffmpegCpuSeconds(server);
  const cpu = process.cpuUsage(cpuBefore);
  const measuredMs = performance.now() - measuredFrom;

  const playlistBurst = await herd(connections, playlistPath, true);
  const newest = listedSegments((await hlsGet(`${base}/${path}`)).body.toString()).at(-1);
  const segmentBurst = newest
    ? await herd(connections, `${segmentBase}${newest.uri}`, false)
    : { p50: Number.NaN, p99: Number.NaN, failed: requesters };
  for (const connection of connections) connection.close();
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
    ffmpegCpuPercent: ffmpegCpuPercent(ffmpegBefore, ffmpegAfter, serverAfter.at - serverBefore.at),
    machineCpuPercent: machineCpuPercent(machineBefore, machineAfter, os.cpus().length),
    requestersCpuPercent: ((cpu.user + cpu.system) / 1e3 / measuredMs) * 100,
    burst: {
      playlistP50Ms: playlistBurst.p50,
      playlistP99Ms: playlistBurst.p99,
      segmentP50Ms: segmentBurst.p50,
      segmentP99Ms: segmentBurst.p99,
      failed: playlistBurst.failed + segmentBurst.failed,
    },
  };
}
