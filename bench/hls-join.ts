/**
 * Cold against warm HLS join (issue 11): the demo's player in Chromium joining a channel whose packager has not
 * started (cold) and one that has run for `WARM_MS` (warm). Prints each run's figures; not part of `npm run bench`.
 * `npx tsx bench/hls-join.ts [runs]`.
 */
import { ensureSampleVideos } from '../examples/demo/samples';
import { runHlsPlayerStep } from './steps/hls-player-step';

const WARM_MS = 10_000;
const MEASURE_MS = 15_000;

const [sample] = await ensureSampleVideos();
if (!sample) throw new Error('no sample video was generated');
const runs = Number(process.argv[2] ?? 1);
for (let run = 0; run < runs; run++) {
  for (const warmUpMs of [0, WARM_MS]) {
    const result = await runHlsPlayerStep(sample, 1, MEASURE_MS, 500, warmUpMs);
    console.log(
      `${warmUpMs > 0 ? 'warm' : 'cold'}: first frame ${result.timeToFirstFrameMs.toFixed(0)} ms, latency p50 ` +
        `${result.latencyP50Ms} ms p95 ${result.latencyP95Ms} ms max ${result.latencyMaxMs} ms, ` +
        `${result.stalls} stalls, ${result.level}`,
    );
  }
}
