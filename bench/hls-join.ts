/**
 * Cold against warm HLS join (issue 11), on its own: `npx tsx bench/hls-join.ts [runs]`. The same step as
 * `BENCH_STEPS=hls-join npm run bench`, printing each run's figures.
 */
import { runHlsJoinStep } from './steps/hls-join-step';

const SEGMENT_SECONDS = 1;
const MEASURE_MS = 20_000;

const runs = Number(process.argv[2] ?? 1);
for (let run = 0; run < runs; run++) {
  for (const kind of ['cold', 'warm'] as const) {
    console.log(JSON.stringify(await runHlsJoinStep(kind, SEGMENT_SECONDS, MEASURE_MS)));
  }
}
