import { setTimeout as sleep } from 'node:timers/promises';
import { hlsGet, listedSegments, renditionPaths } from '../clients/hls-http';
import type { ServerChild } from '../infra/server-child';
import { percentile, sortedCopy } from '../infra/statistics';

export interface HlsLatencyResult {
  segmentSeconds: number;
  renditions: string[];
  /** Cold start: first master playlist request (it waits for the first segment) to the first segment's last byte. */
  timeToFirstSegmentMs: number;
  /** The master playlist request alone on the cold start. */
  coldPlaylistMs: number;
  segmentsSeen: number;
  /** Per new segment: fetch completion − (PROGRAM-DATE-TIME + duration), i.e. how far behind live its end is. */
  latencyP50Ms: number;
  latencyP95Ms: number;
  latencyMaxMs: number;
  /** Segment numbers that were not above every number seen before (must be 0). */
  numberRegressions: number;
}

/**
 * A player at the live edge: from a cold packager, fetch the master playlist, then poll the top rendition every
 * segment duration and download each new segment as soon as it is listed. Latency of a segment = wall time its
 * download finished − wall time its last frame was live (PROGRAM-DATE-TIME + duration): 0 would mean a player
 * could show each frame the moment it happens. Same machine, so the PROGRAM-DATE-TIME clock is ours.
 */
export async function runHlsLatencyStep(
  server: ServerChild,
  segmentSeconds: number,
  measureMs: number,
): Promise<HlsLatencyResult> {
  const base = `${server.httpUrl}/hls/bench`;
  const coldStarted = performance.now();
  const master = await hlsGet(`${base}/master.m3u8`);
  if (master.status !== 200) throw new Error(`master playlist: ${master.status} ${master.body}`);
  const coldPlaylistMs = master.ms;
  const paths = renditionPaths(master.body.toString());
  const top = paths.at(-1);
  if (!top) throw new Error('master playlist lists no rendition');
  const topBase = `${base}/${top.replace(/index\.m3u8$/, '')}`;

  const first = await hlsGet(`${base}/${top}`);
  const newest = listedSegments(first.body.toString()).at(-1);
  if (!newest) throw new Error('rendition playlist lists no segment');
  const firstSegment = await hlsGet(`${topBase}${newest.uri}`);
  const timeToFirstSegmentMs = firstSegment.doneAt - coldStarted;

  const latencies: number[] = [];
  let highest = newest.number;
  let regressions = 0;
  const deadline = performance.now() + measureMs;
  while (performance.now() < deadline) {
    await sleep(segmentSeconds * 1000);
    const playlist = await hlsGet(`${base}/${top}`);
    for (const segment of listedSegments(playlist.body.toString())) {
      if (segment.number <= highest) continue;
      const download = await hlsGet(`${topBase}${segment.uri}`);
      if (download.status !== 200) continue;
      const finishedAt = Date.now();
      latencies.push(finishedAt - (segment.programDateTime + segment.durationMs));
      highest = segment.number;
    }
    const numbers = listedSegments(playlist.body.toString()).map((segment) => segment.number);
    if (numbers.some((number, index) => index > 0 && number <= (numbers[index - 1] ?? 0))) regressions++;
  }
  const sorted = sortedCopy(latencies);
  return {
    segmentSeconds,
    renditions: paths.map((path) => path.split('/')[0] ?? path),
    timeToFirstSegmentMs,
    coldPlaylistMs,
    segmentsSeen: latencies.length,
    latencyP50Ms: percentile(sorted, 50),
    latencyP95Ms: percentile(sorted, 95),
    latencyMaxMs: sorted.at(-1) ?? Number.NaN,
    numberRegressions: regressions,
  };
}
