/**
 * Reads a run written by `BENCH_NETWORK_PROBES=<dir>` (the networks step): `npx tsx bench/probe-stalls.ts <file>`.
 * For each change of the link after the start: the video captured in the second after it (what the sender put on
 * its way before it could know), the pauses of each kind of media in the 5 s after it (when the last message before
 * each came, how long nothing came, how late the message that ended it was) and the link's counters for those
 * seconds (bytes in, packets its queue dropped, the queue's wait).
 */
import { readFileSync } from 'node:fs';
import { mediaCaptured, mediaStalls, type RecordedRun } from './steps/probe-stalls';

const AFTER_CHANGE_MS = 5_000;

const file = process.argv[2];
if (!file)
  throw new Error('usage: npx tsx bench/probe-stalls.ts <probe file written by BENCH_NETWORK_PROBES>');
const run = JSON.parse(readFileSync(file, 'utf8')) as RecordedRun;
const { probe } = run;
for (const change of run.schedule.slice(1)) {
  const at = change.atMs;
  console.log(`link change at ${(at / 1000).toFixed(1)} s (page clock); times below are from it`);
  const video = mediaCaptured(probe, 'video', at, at + 1_000);
  console.log(
    `  video captured in the second after it: ${video.count} frames, ${Math.round(video.bytes / 1000)} KB`,
  );
  for (const kind of ['audio', 'video'] as const) {
    for (const stall of mediaStalls(probe, kind, at - 100, at + AFTER_CHANGE_MS)) {
      console.log(
        `  ${kind}: nothing from +${Math.round(stall.from - at)} ms for ${Math.round(stall.ms)} ms, then ${Math.round(stall.lateMs)} ms late`,
      );
    }
  }
  for (const report of run.link) {
    const t = report.t - probe.timeOrigin - at;
    if (t < -1_000 || t > AFTER_CHANGE_MS) continue;
    const down = report.down;
    console.log(
      `  link, the second ending at ${t < 0 ? '' : '+'}${Math.round(t)} ms: ${Math.round(down.rxBytes / 1000)} KB in, ${down.dropQueue} dropped by its queue, ` +
        `queue wait ${down.qwaitAvgMs} ms mean, ${down.qwaitMaxMs} max`,
    );
  }
}
