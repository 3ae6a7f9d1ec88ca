import { arrivalDelayMs, type PageProbe } from '../clients/page-probe';
import type { LinkReport } from '../infra/linkem';
import { percentile, sortedCopy } from '../infra/statistics';
import type { NetworkProfile, ScheduledChange } from './network-profiles';
import {
  type AudioGaps,
  audioGaps,
  framesPerSecond,
  frozenMs,
  gapsAfterFirstSecond,
  linkKbps,
  medianAndP10,
  parseHlsLevel,
  parseMs,
  type RungPoint,
  rungAt,
  rungChanges,
  stallTransitions,
  switchCount,
  timeOnRungs,
  timeToRung,
  timeToStepDown,
} from './playback-figures';

export type NetworkTransport = 'ws' | 'hls';

/** What the player did after a link change: how long until it stepped down (rate fell) or reached the top. */
export interface LinkResponse {
  /** Page time of the change, ms from navigation. */
  atMs: number;
  downKbps: number;
  kind: 'step-down' | 'back-to-top';
  /** The rung or level the player was on when the link changed (0 is the lowest); null before the first. */
  fromRung: number | null;
  /** Null: it did not, before the next change or the end. */
  afterMs: number | null;
}

export interface NetworkRunResult {
  profile: NetworkProfile['id'];
  label: string;
  transport: NetworkTransport;
  runSeconds: number;
  /** Navigation start → first picture (page load over the shaped link included). NaN: never. */
  timeToFirstFrameMs: number;
  /** Pictures per whole second from the first frame to the end. */
  fpsMedian: number;
  fpsP10: number;
  /** Time in gaps of more than 200 ms without a new picture, % of first frame → end. */
  frozenPercent: number;
  /**
   * WebSocket: silence the player's AudioWorklet inserted after its first sound (ring buffer dry). HLS: time the
   * `<video>` stalled (`waiting` → `playing`) after its first frame, sound and picture together. Null: the page
   * showed no audio path this bench can watch.
   */
  audioGaps: {
    count: number;
    totalMs: number;
    /** Each gap's start (ms, on the rung timeline's clock) and length. */
    gaps: { t: number; ms: number }[];
    /** Of `count`, those that began a second or more after the first sound: the targets count these. */
    afterFirstSecond: number;
    source: 'worklet' | 'video-stalls';
  } | null;
  /** Time to first sound (WebSocket worklet), ms from navigation; null if none. */
  firstSoundMs: number | null;
  /** The player's own Latency readout (stats), read every 250 ms after the first frame. */
  latencySamples: number;
  latencyP50Ms: number;
  latencyP95Ms: number;
  /** Rung (WebSocket, from `quality-changed`) or HLS level (from the readout) changes after the first. */
  switches: number;
  switchesAfter5s: number;
  /** Index of the top rung or level, and the share of the run spent on it. */
  topRung: number | null;
  topRungPercent: number;
  rungTimeline: RungPoint[];
  responses: LinkResponse[];
  /** Mean bit rate the link delivered to the client, first frame → end (linkem's counters: every byte). */
  linkKbps: number;
  /** Packets the link dropped (random loss, full bottleneck queue), whole run. */
  linkDrops: { loss: number; queue: number };
  /** WebSocket only: media bytes over the socket, and arrival − capture timestamp of video frames. */
  mediaKbps: number | null;
  frameArrivalP50Ms: number | null;
  frameArrivalP95Ms: number | null;
  /** WebSocket only: the audio codec the server chose for the player (its `stream` message). */
  audioCodec: string | null;
  /** WebSocket only: video frames received with the same sequence as the one before (a rung change's resend). */
  duplicateFrames: number | null;
  /**
   * HLS only: how far the newest segment of each media playlist hls.js fetched was behind the clock when it
   * arrived (the "≤ 2 segment durations" target, seen from the player, the link's delay included).
   */
  newestSegmentBehindP50Ms: number | null;
  newestSegmentBehindMaxMs: number | null;
  /** Share of readings after the first frame with `data-state="live"`. */
  livePercent: number;
  /** Canvas draws seen (WebSocket) beside the pixel-hash changes counted as frames: a check of the probe. */
  canvasDraws: number;
  pictureChanges: number;
  /** 1-minute load average at the end of the run: above 2 the player, server and ffmpeg were short of CPU. */
  machineLoad: number;
}

/** What one run saw: the page probe, the link's counters, the link schedule on the page clock. */
export interface RunInput {
  profile: NetworkProfile;
  transport: NetworkTransport;
  runMs: number;
  probe: PageProbe;
  /** Page time the probe was read. */
  endMs: number;
  /** Link changes on the page clock. */
  schedule: ScheduledChange[];
  link: readonly LinkReport[];
  /** The machine's 1-minute load average at the end of the run (2 cores shared with other work). */
  machineLoad: number;
}

/** The rung timeline: WebSocket from each `quality-changed` (exact), HLS from the readout's level (every 250 ms). */
function rungPoints(input: RunInput): { points: RungPoint[]; top: number | null } {
  const { probe, transport } = input;
  if (transport === 'ws') {
    const stream = probe.control.findLast((message) => message.type === 'stream');
    const channelFps = Number(stream?.fps);
    const points = probe.control
      .filter((message) => message.type === 'quality-changed')
      .map((message) => {
        const rung = typeof message.label === 'string' ? message.label : `q${message.quality}`;
        const fps = Number(message.viewerFps);
        const decimated = fps > 0 && channelFps > 0 && fps < channelFps - 0.5;
        return {
          t: message.t,
          rung: Number(message.rung),
          label: decimated ? `${rung} @ ${Math.round(fps)} fps` : rung,
          reason: String(message.reason),
        };
      });
    const welcome = probe.control.findLast((message) => message.type === 'welcome');
    const rungs = Array.isArray(stream?.rungs)
      ? stream.rungs
      : Array.isArray(welcome?.ladder)
        ? welcome.ladder
        : [];
    return { points, top: rungs.length ? rungs.length - 1 : null };
  }
  const points: RungPoint[] = [];
  for (const sample of probe.samples) {
    const level = parseHlsLevel(sample.stats.quality);
    if (level) points.push({ t: sample.t, ...level });
  }
  return { points, top: probe.qualityOptions.length ? probe.qualityOptions.length - 1 : null };
}

/**
 * A run's figures from what the page and the link saw. Everything is measured from the first picture to the
 * reading of the probe (`endMs`), on the page clock, except time to first frame (from navigation).
 */
/** A run's audio gaps as reported: what `audioGaps` found, with the count and where they came from. */
function gapFigures(
  found: AudioGaps,
  source: NonNullable<NetworkRunResult['audioGaps']>['source'],
): NetworkRunResult['audioGaps'] {
  const { count, totalMs, gaps } = found;
  return { count, totalMs, gaps, afterFirstSecond: gapsAfterFirstSecond(found), source };
}

export function runFigures(input: RunInput): NetworkRunResult {
  const { probe, endMs, transport, profile } = input;
  const first = probe.firstFrame >= 0 ? probe.firstFrame : Number.NaN;
  const from = Number.isNaN(first) ? endMs : first;
  const fps = medianAndP10(framesPerSecond(probe.frames, from, endMs));
  const frameTimes = probe.frames.map((frame) => frame.t);
  const frozen = Number.isNaN(first) ? 100 : (frozenMs(frameTimes, from, endMs) / (endMs - from)) * 100;

  const after = probe.samples.filter((sample) => sample.t >= from);
  const latencies = sortedCopy(after.flatMap((sample) => parseMs(sample.stats.latency) ?? []));
  const { points, top } = rungPoints(input);
  const changes = rungChanges(points);

  let gaps: NetworkRunResult['audioGaps'] = null;
  let firstSoundMs: number | null = null;
  if (transport === 'ws' && probe.audioWorklet) {
    const worklet = audioGaps(probe.audio, endMs);
    gaps = gapFigures(worklet, 'worklet');
    firstSoundMs = worklet.startedAt;
  } else if (transport === 'hls' && !Number.isNaN(first)) {
    const stalls = audioGaps(stallTransitions(probe.mediaEvents, first), endMs);
    gaps = gapFigures(stalls, 'video-stalls');
  }

  const responses: LinkResponse[] = [];
  for (const [index, change] of input.schedule.entries()) {
    if (index === 0) continue;
    const previous = input.schedule[index - 1]!.setting.down.rate;
    const until = input.schedule[index + 1]?.atMs ?? endMs;
    const falling = change.setting.down.rate < previous;
    responses.push({
      atMs: change.atMs,
      downKbps: change.setting.down.rate / 1000,
      kind: falling ? 'step-down' : 'back-to-top',
      fromRung: rungAt(points, change.atMs),
      afterMs: falling
        ? timeToStepDown(points, change.atMs, until)
        : top === null
          ? null
          : timeToRung(points, top, change.atMs, until),
    });
  }

  const video = probe.media.filter((media) => media.kind === 'video');
  const inWindow = probe.media.filter((media) => media.t >= from && media.t <= endMs);
  const arrivals = sortedCopy(video.map((media) => arrivalDelayMs(probe, media)));
  const seconds = (endMs - from) / 1000;
  const behind = sortedCopy(probe.playlists.map((playlist) => playlist.behindMs));
  const linkDrops = input.link.reduce(
    (sum, report) => ({ loss: sum.loss + report.down.dropLoss, queue: sum.queue + report.down.dropQueue }),
    { loss: 0, queue: 0 },
  );
  return {
    profile: profile.id,
    label: profile.label,
    transport,
    runSeconds: input.runMs / 1000,
    timeToFirstFrameMs: first,
    fpsMedian: fps.median,
    fpsP10: fps.p10,
    frozenPercent: frozen,
    audioGaps: gaps,
    firstSoundMs,
    latencySamples: latencies.length,
    latencyP50Ms: percentile(latencies, 50),
    latencyP95Ms: percentile(latencies, 95),
    switches: switchCount(points),
    switchesAfter5s: switchCount(points, from + 5000),
    topRung: top,
    topRungPercent: top === null ? Number.NaN : (timeOnRungs(points, from, endMs).get(top) ?? 0) * 100,
    rungTimeline: changes,
    responses,
    linkKbps: linkKbps(input.link, probe.timeOrigin + from, probe.timeOrigin + endMs),
    linkDrops,
    mediaKbps:
      transport === 'ws'
        ? (inWindow.reduce((sum, media) => sum + media.bytes, 0) * 8) / seconds / 1000
        : null,
    frameArrivalP50Ms: transport === 'ws' ? percentile(arrivals, 50) : null,
    audioCodec: transport === 'ws' ? streamAudioCodec(input.probe.control) : null,
    frameArrivalP95Ms: transport === 'ws' ? percentile(arrivals, 95) : null,
    duplicateFrames:
      transport === 'ws'
        ? video.filter((media, i) => i > 0 && media.sequence === video[i - 1]!.sequence).length
        : null,
    newestSegmentBehindP50Ms: transport === 'hls' ? percentile(behind, 50) : null,
    newestSegmentBehindMaxMs: transport === 'hls' ? (behind.at(-1) ?? Number.NaN) : null,
    livePercent: after.length
      ? (after.filter((sample) => sample.state === 'live').length / after.length) * 100
      : 0,
    canvasDraws: probe.canvasDraws,
    pictureChanges: probe.frames.length,
    machineLoad: input.machineLoad,
  };
}

/** The codec of the last `stream` message's audio (absent: PCM, as PROTOCOL.md says); null without a stream. */
function streamAudioCodec(control: readonly Record<string, unknown>[]): string | null {
  const stream = control.findLast((message) => message.type === 'stream');
  if (!stream) return null;
  const audio = stream.audio as { codec?: string } | null | undefined;
  return audio ? (audio.codec ?? 'pcm') : null;
}
