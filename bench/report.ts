import type { ChatResult } from './steps/chat-step';
import type { FanOutResult } from './steps/fan-out-step';
import type { HlsLatencyResult } from './steps/hls-latency-step';
import type { HlsLoadResult } from './steps/hls-load-step';
import type { HlsPlayerResult } from './steps/hls-player-step';
import type { ReactionResult } from './steps/reaction-step';
import type { StalledResult } from './steps/stalled-step';

const fixed = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '–');

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export function fanOutTable(results: readonly FanOutResult[]): string {
  return table(
    [
      'viewers',
      'playing',
      'fps/viewer median',
      'fps/viewer p5',
      'server CPU %',
      'server RSS MB',
      'server loop delay p99 ms',
      'ffmpeg procs',
      'decoders / rung encoders',
      'ffmpeg CPU %',
      'skipped %',
      'fleet CPU % (of it kernel)',
      'machine CPU % (of 100 × cores)',
      'delay p50 ms',
      'delay p99 ms (each run)',
      'first frame median ms',
      'first frame p95 ms',
      'frame KB',
    ],
    results.map((r) => [
      String(r.viewers),
      String(r.playing),
      fixed(r.fpsMedian, 1),
      fixed(r.fpsP5, 1),
      fixed(r.serverCpuPercent),
      fixed(r.serverRssMb),
      fixed(r.serverLoopDelayP99Ms),
      String(r.ffmpegProcesses),
      `${r.decoders} / ${r.activeRungs.length}`,
      fixed(r.ffmpegCpuPercent),
      fixed(r.skippedPercent, 1),
      `${fixed(r.fleetCpuPercent)} (${fixed(r.fleetKernelCpuPercent)})`,
      fixed(r.machineCpuPercent),
      fixed(r.delayP50Ms),
      `${fixed(r.delayP99Ms)} (${(r.delayP99MsRuns ?? [r.delayP99Ms]).map((ms) => fixed(ms)).join(', ')})`,
      fixed(r.timeToFirstFrameMedianMs),
      fixed(r.timeToFirstFrameP95Ms),
      fixed(r.meanFrameKb, 1),
    ]),
  );
}

export function stalledTable(r: StalledResult | undefined): string {
  if (!r) return '(not run)';
  const firstBuffered = r.firstBufferedAfterS === null ? 'never' : fixed(r.firstBufferedAfterS);
  return table(
    [
      'stalled viewers',
      'stall s',
      'server RSS before → peak MB',
      'RSS growth per stalled viewer KB',
      'configured maxBufferedBytes KB',
      'largest stalled bufferedAmount KB (first after s)',
      'ack window frames (KB)',
      'stalled still open at end',
      'healthy viewer fps, delay p99 ms',
    ],
    [
      [
        String(r.stalledViewers),
        String(r.stallSeconds),
        `${fixed(r.rssBeforeMb)} → ${fixed(r.rssPeakMb)}`,
        fixed(r.rssGrowthPerStalledViewerKb),
        fixed(r.maxBufferedKb),
        `${fixed(r.maxStalledBufferedKb)} (${firstBuffered})`,
        `${r.ackWindowFrames} (${fixed(r.ackWindowKb)})`,
        String(r.stalledStillOpen),
        `${fixed(r.healthyViewerFps, 1)}, ${fixed(r.healthyViewerDelayP99Ms)}`,
      ],
    ],
  );
}

export function chatTable(r: ChatResult | undefined): string {
  const header = [
    'viewers',
    'joined',
    'messages',
    'delivered %',
    'delay p50 ms',
    'delay p99 ms',
    'delay max ms',
    'server CPU %',
  ];
  if (!r) return table(header, [header.map(() => '–')]);
  return table(header, [
    [
      String(r.viewers),
      String(r.joined),
      `${r.messagesSent} (${r.messagesPerSecond}/s)`,
      fixed(r.deliveredPercent, 1),
      fixed(r.delayP50Ms),
      fixed(r.delayP99Ms),
      fixed(r.delayMaxMs),
      fixed(r.serverCpuPercent),
    ],
  ]);
}

export function reactionTable(r: ReactionResult | undefined): string {
  const header = [
    'viewers',
    'reactions/s sent',
    'reactions counted %',
    'messages/s per viewer median',
    'messages/s per viewer max',
    'most messages in one second',
    'server CPU %',
  ];
  if (!r) return table(header, [header.map(() => '–')]);
  return table(header, [
    [
      String(r.viewers),
      fixed(r.reactionsPerSecond),
      fixed(r.countedPercent, 1),
      fixed(r.messagesPerViewerPerSecondMedian, 2),
      fixed(r.messagesPerViewerPerSecondMax, 2),
      String(r.worstSecondPerViewer),
      fixed(r.serverCpuPercent),
    ],
  ]);
}

export function hlsLatencyTable(r: HlsLatencyResult | undefined): string {
  const header = [
    'renditions',
    'first segment ms (cold)',
    'segments',
    'latency p50 ms',
    'latency p95 ms',
    'latency max ms',
    'number regressions',
  ];
  if (!r) return table(header, [header.map(() => '–')]);
  return table(header, [
    [
      r.renditions.join(', '),
      fixed(r.timeToFirstSegmentMs),
      String(r.segmentsSeen),
      fixed(r.latencyP50Ms),
      fixed(r.latencyP95Ms),
      fixed(r.latencyMaxMs),
      String(r.numberRegressions),
    ],
  ]);
}

export function hlsLoadTable(r: HlsLoadResult | undefined): string {
  const header = [
    'players',
    'rendition',
    'requests/s',
    'failed',
    'playlist p50 / p99 ms',
    'segment p50 / p99 ms',
    'all p99 ms',
    'segment KB',
    'server CPU %',
    'packager ffmpeg CPU %',
    'requesters CPU %',
    'machine CPU % (of 100 × cores)',
  ];
  if (!r) return table(header, [header.map(() => '–')]);
  return table(header, [
    [
      String(r.requesters),
      r.rendition,
      fixed(r.requestsPerSecond),
      String(r.failed),
      `${fixed(r.playlistP50Ms)} / ${fixed(r.playlistP99Ms)}`,
      `${fixed(r.segmentP50Ms)} / ${fixed(r.segmentP99Ms)}`,
      fixed(r.allP99Ms),
      fixed(r.meanSegmentKb),
      fixed(r.serverCpuPercent),
      fixed(r.ffmpegCpuPercent),
      fixed(r.requestersCpuPercent),
      fixed(r.machineCpuPercent),
    ],
  ]);
}

export function hlsBurstTable(r: HlsLoadResult | undefined): string {
  const header = ['players', 'playlist p50 / p99 ms', 'segment p50 / p99 ms', 'failed'];
  if (!r) return table(header, [header.map(() => '–')]);
  const { burst } = r;
  return table(header, [
    [
      String(r.requesters),
      `${fixed(burst.playlistP50Ms)} / ${fixed(burst.playlistP99Ms)}`,
      `${fixed(burst.segmentP50Ms)} / ${fixed(burst.segmentP99Ms)}`,
      String(burst.failed),
    ],
  ]);
}

export function hlsPlayerTable(r: HlsPlayerResult | undefined): string {
  const header = [
    'first frame ms (cold, from navigation)',
    'first playing ms',
    'latency samples',
    'latency p50 ms',
    'latency p95 ms',
    'latency max ms',
    'stalls',
    'level at end',
    'JPEG encoders meanwhile',
  ];
  if (!r) return table(header, [header.map(() => '–')]);
  return table(header, [
    [
      fixed(r.timeToFirstFrameMs),
      fixed(r.timeToPlayingMs),
      String(r.latencySamples),
      fixed(r.latencyP50Ms),
      fixed(r.latencyP95Ms),
      fixed(r.latencyMaxMs),
      String(r.stalls),
      r.level,
      String(r.jpegEncoders),
    ],
  ]);
}
