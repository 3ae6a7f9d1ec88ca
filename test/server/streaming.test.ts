import { AUDIO_FORMAT } from '@onair/protocol';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath } from '../fixtures/fixture-files';
import { mediaChildren } from './helpers/child-processes';
import { type RunningHost, startHost } from './helpers/host-app';
import { playerFeedback } from './helpers/player-feedback';
import { type ReceivedMedia, TestViewer } from './helpers/test-viewer';

const AV = 'av';
const QUIET = 'quiet';
const BARS = 'bars';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function deltas(items: ReceivedMedia[]): number[] {
  return items.slice(1).map((item, i) => item.timestamp - items[i]!.timestamp);
}

/**
 * Checks that each of `frames` sits on the channel's 30 fps grid, at least `stride` intervals after the one before,
 * and returns how many grid frames were passed over beyond the stride (frames the channel or the server lost).
 */
function framesPassedOver(frames: ReceivedMedia[], stride: number): number {
  let passedOver = 0;
  for (const delta of deltas(frames)) {
    const intervals = Math.round(delta / (1000 / 30));
    expect(intervals).toBeGreaterThanOrEqual(stride);
    expect(delta).toBeCloseTo((intervals * 1000) / 30, 2);
    passedOver += intervals - stride;
  }
  return passedOver;
}

/**
 * Frames of a channel not sent to its viewers so far: frames its decoder shed as late, encodes dropped on any rung
 * and frames skipped per viewer.
 */
function framesLost(host: RunningHost, videoId: string): number {
  const stats = host.live.stats();
  const channel = stats.channels.find((entry) => entry.id === videoId);
  const dropped =
    (channel?.framesShed ?? 0) + (channel?.rungs.reduce((sum, rung) => sum + rung.dropped, 0) ?? 0);
  const skipped = stats.sessions
    .filter((session) => session.videoId === videoId)
    .reduce((sum, session) => sum + session.framesSkipped, 0);
  return dropped + skipped;
}

describe('streaming a channel', () => {
  let host: RunningHost;
  const viewers: TestViewer[] = [];
  const connect = async () => {
    const viewer = await TestViewer.connect(host.wsUrl);
    viewers.push(viewer);
    return viewer;
  };

  beforeAll(async () => {
    host = await startHost(
      [
        { id: AV, input: fixturePath('audioVideo') },
        { id: QUIET, input: fixturePath('videoOnly') },
        { id: BARS, input: 'testsrc2=size=128x96:rate=15', format: 'lavfi' },
      ],
      { idleTimeoutMs: 300 },
    );
  });

  afterAll(async () => {
    for (const viewer of viewers) viewer.close();
    await host?.close();
  });

  it('sends decodable JPEG frames with rising timestamps at the channel rate, and 40 ms audio chunks', async () => {
    const viewer = await connect();
    viewer.send({ type: 'select', videoId: AV });
    const stream = await viewer.next('stream');
    expect(stream).toMatchObject({
      videoId: AV,
      width: 320,
      height: 240,
      fps: 30,
      viewerFps: 30,
      audio: { sampleRate: 48_000, channels: 2, sampleFormat: 's16le', chunkMs: 40 },
    });
    await viewer.collectVideo(1);
    const lostBefore = framesLost(host, AV);
    const started = Date.now();
    const videoFrom = viewer.video.length;
    const audioFrom = viewer.audio.length;
    await sleep(2_000);
    const elapsed = (Date.now() - started) / 1000;
    const frames = viewer.video.slice(videoFrom);
    const audio = viewer.audio.slice(audioFrom);

    expect(frames.length / elapsed).toBeGreaterThan(24);
    expect(frames.length / elapsed).toBeLessThan(36);
    // Every frame sits on the channel's 30 fps grid. A gap of more than one interval is a frame the server chose
    // not to send (the encoder bound on a busy machine, or the ack window), and it must show in the stats.
    expect(framesPassedOver(frames, 1)).toBeLessThanOrEqual(framesLost(host, AV) - lostBefore);
    for (const frame of [frames[0]!, frames.at(-1)!]) {
      const image = await sharp(frame.payload).metadata();
      expect(image).toMatchObject({ format: 'jpeg', width: 320, height: 240 });
    }

    expect(audio.length / elapsed).toBeGreaterThan(20);
    expect(audio.length / elapsed).toBeLessThan(30);
    for (const chunk of audio) {
      expect(chunk.rungOrChannels).toBe(AUDIO_FORMAT.channels);
      expect(chunk.payload.byteLength).toBe(7_680);
    }
    for (const delta of deltas(audio)) expect(delta).toBeCloseTo(40, 2);
    // Audio and video are stamped on one clock: the newest of each is within a chunk of the other.
    expect(Math.abs(audio.at(-1)!.timestamp - frames.at(-1)!.timestamp)).toBeLessThan(250);
    expect(viewer.undecodable).toEqual([]);
  });

  it('gives a late joiner its first frame at once, stamped near now: live, not from the start', async () => {
    const early = await connect();
    early.send({ type: 'select', videoId: AV });
    await early.collectVideo(30);

    const late = await connect();
    const asked = Date.now();
    late.send({ type: 'select', videoId: AV });
    const stream = await late.next('stream');
    const [first] = await late.collectVideo(1);
    expect(first!.receivedAt - asked).toBeLessThan(150);
    expect(Math.abs(first!.receivedAt - first!.timestamp)).toBeLessThan(150);
    expect(stream.channelTime).toBeGreaterThan(asked - 50);
    expect(stream.position).toBeCloseTo((stream.channelTime / 1000) % stream.duration!, 2);
  });

  it('sends byte-identical frames to two viewers on one rung, from one ffmpeg process', async () => {
    const [first, second] = [await connect(), await connect()];
    for (const viewer of [first!, second!]) {
      viewer.send({ type: 'quality', rung: 3 });
      viewer.send({ type: 'select', videoId: QUIET });
    }
    await Promise.all([first!.collectVideo(25), second!.collectVideo(25)]);
    const bySequence = new Map(first!.video.map((frame) => [frame.sequence, frame.bytes]));
    const shared = second!.video.filter((frame) => bySequence.has(frame.sequence));
    expect(shared.length).toBeGreaterThan(15);
    for (const frame of shared) {
      expect(frame.rungOrChannels).toBe(3);
      expect(frame.bytes.equals(bySequence.get(frame.sequence)!)).toBe(true);
    }

    const channel = host.live.stats().channels.find((stats) => stats.id === QUIET)!;
    expect(channel).toMatchObject({ viewers: 2, activeRungs: [3], encoders: 1, restarts: 0 });
    expect(channel.decoder.running).toBe(true);
    expect(channel.rungs[3]).toMatchObject({ viewers: 2 });
    const decoders = mediaChildren().filter((child) => child.name === 'ffmpeg');
    expect(decoders.map((child) => child.pid)).toContain(channel.decoder.pid);
    // The AV channel of the earlier tests may still be running; each channel has exactly one decoder.
    const running = host.live.stats().channels.filter((stats) => stats.decoder.running);
    expect(decoders).toHaveLength(running.length);
  });

  it('lowers the rung on low-buffer feedback and raises it after sustained high feedback', async () => {
    const viewer = await connect();
    viewer.send({ type: 'select', videoId: QUIET });
    await viewer.collectVideo(3);
    const initial = viewer.messages.find((message) => message.type === 'quality-changed');
    // The 160x120 file's own ladder: every rung capped to 120p, so four qualities at that height.
    const stream = viewer.messages.find((message) => message.type === 'stream');
    expect(stream?.type === 'stream' && stream.rungs.map((rung) => rung.label)).toEqual([
      '120p',
      '120p · q50',
      '120p · q70',
      '120p · q85',
    ]);
    expect(initial).toMatchObject({ rung: 1, mode: 'auto', reason: 'initial' });

    // The buffer filled once (the buffer rules wait for that: it starts empty), then ran dry.
    viewer.send(playerFeedback(1));
    viewer.send(playerFeedback(0.02));
    expect(await viewer.next('quality-changed')).toMatchObject({
      rung: 0,
      quality: 40,
      label: '120p',
      reason: 'buffer-low',
    });
    const [lowered] = await viewer.collectVideo(1);
    expect(lowered!.rungOrChannels).toBe(0);

    const from = viewer.messages.length;
    const reports = setInterval(() => viewer.send(playerFeedback(1)), 250);
    try {
      const raised = await viewer.next('quality-changed', from, 5_000);
      expect(raised).toMatchObject({ rung: 1, reason: 'buffer-high' });
    } finally {
      clearInterval(reports);
    }
  });

  it('gives a viewer asking for 10 fps about a third of the frames of a full-rate viewer', async () => {
    const full = await connect();
    const decimated = await connect();
    full.send({ type: 'select', videoId: AV });
    decimated.send({ type: 'select', videoId: AV, videoFps: 10 });
    expect((await decimated.next('stream')).viewerFps).toBe(10);
    await Promise.all([full.collectVideo(1), decimated.collectVideo(1)]);
    const [fullFrom, decimatedFrom] = [full.video.length, decimated.video.length];
    const lostBefore = framesLost(host, AV);
    await sleep(1_500);
    const fullCount = full.video.length - fullFrom;
    const decimatedFrames = decimated.video.slice(decimatedFrom);
    expect(decimatedFrames.length / fullCount).toBeGreaterThan(0.25);
    expect(decimatedFrames.length / fullCount).toBeLessThan(0.42);
    // Every third frame of the 30 fps grid, 100 ms apart; a frame the channel lost (a busy machine) makes the
    // next one pass instead, 133 ms after, and must show in the stats.
    expect(framesPassedOver(decimatedFrames, 3)).toBeLessThanOrEqual(framesLost(host, AV) - lostBefore);
  });

  it('streams a video-only file with audio: null and no audio messages', async () => {
    const viewer = await connect();
    viewer.send({ type: 'select', videoId: QUIET });
    expect(await viewer.next('stream')).toMatchObject({ audio: null, width: 160, height: 120, fps: 25 });
    await viewer.collectVideo(10);
    expect(viewer.audio).toEqual([]);
  });

  it('streams a lavfi source probed in the background, endless: no position, no duration', async () => {
    const viewer = await connect();
    viewer.send({ type: 'select', videoId: BARS });
    expect(await viewer.next('stream')).toMatchObject({
      width: 128,
      height: 96,
      fps: 15,
      position: null,
      duration: null,
    });
    const frames = await viewer.collectVideo(8);
    expect(await sharp(frames[0]!.payload).metadata()).toMatchObject({ width: 128, height: 96 });
  });

  it('stops a channel decoder after the idle timeout once its last viewer has left', async () => {
    const viewer = await connect();
    viewer.send({ type: 'select', videoId: BARS });
    await viewer.collectVideo(2);
    for (const other of viewers) other.close();
    await viewer.waitFor(
      () =>
        host.live.stats().channels.every((channel) => channel.state === 'idle' && !channel.decoder.running),
      'every channel to go idle',
      3_000,
    );
    await viewer.waitFor(() => mediaChildren().length === 0, 'the decoders to exit', 3_000);
  });
});

describe('an eager channel', () => {
  it('decodes before any viewer arrives and keeps decoding past the idle timeout', async () => {
    const host = await startHost([{ id: 'quiet', input: fixturePath('videoOnly') }], {
      eager: true,
      idleTimeoutMs: 50,
    });
    try {
      const channel = () => host.live.stats().channels[0]!;
      const probe = await TestViewer.connect(host.wsUrl);
      await probe.waitFor(() => channel().framesIn > 10, 'frames with no viewer', 3_000);
      probe.close();
      await sleep(300);
      expect(channel()).toMatchObject({ viewers: 0, state: 'running', decoder: { running: true } });
    } finally {
      await host.close();
    }
    expect(mediaChildren()).toEqual([]);
  });
});
