import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StreamInfo } from '@onair/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { broadcastMedia } from '../../packages/server-middleware/src/ingest/broadcast-media.fixture';
import { fixturePath } from '../fixtures/fixture-files';
import { findMediaTool } from '../fixtures/media-tools';
import { type RunningHost, startHost } from './helpers/host-app';
import { watchMovingPicture } from './helpers/moving-picture';
import { received, waitForMessage } from './helpers/social';
import { TestViewer } from './helpers/test-viewer';
import { waitFor } from './helpers/wait-for';
import { connectWebmBroadcaster } from './helpers/webm-broadcaster';

// Issue 13 item 5: a broadcast recorded as it arrives (Matroska, copied, clusters flushed), joined into one file
// when its stream ends, and replayed under the stream's id.

const WAIT_MS = 60_000;
const SECONDS = 12;

interface Probed {
  durationSec: number;
  codecTypes: string[];
}

function ffprobe(path: string): Probed {
  const result = spawnSync(
    findMediaTool('ffprobe'),
    ['-v', 'error', '-show_entries', 'format=duration:stream=codec_type', '-of', 'json', path],
    { encoding: 'utf8' },
  );
  expect(result.status, result.stderr).toBe(0);
  const json = JSON.parse(result.stdout) as {
    format: { duration?: string };
    streams: { codec_type: string }[];
  };
  return {
    durationSec: Number(json.format.duration ?? Number.NaN),
    codecTypes: json.streams.map((stream) => stream.codec_type).sort(),
  };
}

/** Video frames ffmpeg decodes from `path`: a file cut short still decodes up to where it was cut. */
function decodedFrames(path: string): number {
  const result = spawnSync(
    findMediaTool('ffmpeg'),
    ['-v', 'error', '-i', path, '-map', '0:v', '-f', 'framemd5', '-'],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  return result.stdout.split('\n').filter((line) => /^\s*0,/.test(line)).length;
}

function recordingFolder(root: string, streamId: string): string {
  const folders = readdirSync(root).filter((name) => name.startsWith(`${streamId}-`));
  expect(folders).toHaveLength(1);
  return join(root, folders[0] as string);
}

describe('recording broadcasts for replay', () => {
  let host: RunningHost;
  let ingestUrl: string;
  let media: Buffer;
  let recordingsDir: string;
  const viewers: TestViewer[] = [];

  beforeAll(async () => {
    recordingsDir = mkdtempSync(join(tmpdir(), 'onair-recording-test-'));
    host = await startHost([{ id: 'clip', input: fixturePath('videoOnly') }], {
      recordingsDir,
      authorize: () => true,
    });
    ingestUrl = host.wsUrl.replace(/\/ws$/, '/ingest');
    media = broadcastMedia('webm', SECONDS, 30);
  }, 120_000);

  afterAll(async () => {
    for (const viewer of viewers) viewer.close();
    await host?.close();
    if (recordingsDir) rmSync(recordingsDir, { recursive: true, force: true });
  });

  const streamInfo = async (id: string): Promise<StreamInfo> => {
    const response = await fetch(`${host.origin}/live/streams/${id}`);
    return ((await response.json()) as { stream: StreamInfo }).stream;
  };

  it('records a broadcast asked for over REST, and replays it to a viewer once the stream ended', async () => {
    const created = await fetch(`${host.origin}/live/streams`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'show', title: 'Show', record: true }),
    });
    expect(created.status).toBe(201);
    const { ingest } = (await created.json()) as { ingest: { key: string } };
    const broadcaster = await connectWebmBroadcaster(ingestUrl, 'show', ingest.key);
    const sent = broadcaster.sendInRealTime(media, SECONDS);
    await waitFor(() => (host.live.stats().recordings[0]?.bytes ?? 0) > 0, WAIT_MS);
    expect((await streamInfo('show')).recording).toMatchObject({ state: 'recording' });

    await sent;
    broadcaster.end();
    expect(await broadcaster.closed).toBe(1000);
    expect(host.live.streams.get('show')?.status).toBe('ended');
    let info = await streamInfo('show');
    const ready = async () => {
      info = await streamInfo('show');
      return info.recording?.state === 'ready' || info.recording?.state === 'failed';
    };
    const deadline = Date.now() + WAIT_MS;
    while (!(await ready()) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 200));
    expect(info.recording?.state).toBe('ready');
    expect(info.recording?.durationSec).toBeGreaterThan(SECONDS / 2);

    // The file: one Matroska, video and audio, the broadcast's length; the parts are gone.
    const folder = recordingFolder(recordingsDir, 'show');
    expect(readdirSync(folder)).toEqual(['recording.mkv']);
    const probed = ffprobe(join(folder, 'recording.mkv'));
    expect(probed.codecTypes).toEqual(['audio', 'video']);
    expect(probed.durationSec).toBeGreaterThan(SECONDS / 2);
    expect(probed.durationSec).toBeLessThanOrEqual(SECONDS + 1);

    // The replay: the ended stream's entry says so, and a `select` of it plays the recording.
    const viewer = await TestViewer.connect(host.wsUrl);
    viewers.push(viewer);
    viewer.send({ type: 'catalog' });
    const catalog = await waitForMessage(viewer, 'catalog', undefined, WAIT_MS);
    expect(catalog.videos.find((video) => video.id === 'show')).toMatchObject({
      status: 'ended',
      recording: { state: 'ready' },
      width: 320,
      height: 240,
    });
    const started = await watchMovingPicture(viewer, 'show', 15, WAIT_MS);
    expect([started.width, started.height]).toEqual([320, 240]);
    expect(received(viewer, 'error').filter((error) => error.fatal)).toEqual([]);

    // Removed: the replay goes off air; the file stays, the host's.
    host.live.streams.remove('show');
    await viewer.next('stream-status');
    expect(existsSync(join(folder, 'recording.mkv'))).toBe(true);
    expect(host.live.stats().recordings.map((recording) => recording.streamId)).not.toContain('show');
  }, 180_000);

  it('leaves a playable part when the recorder is killed, goes on in a new part, and joins both', async () => {
    const { ingest } = host.live.streams.create({ id: 'killed', title: 'Killed', record: true });
    const broadcaster = await connectWebmBroadcaster(ingestUrl, 'killed', ingest.key);
    const sent = broadcaster.sendInRealTime(media, SECONDS);
    const recording = () => host.live.stats().recordings.find((entry) => entry.streamId === 'killed');
    await waitFor(
      () => (recording()?.durationSec ?? 0) >= 4,
      WAIT_MS,
      () => JSON.stringify(recording()),
    );
    const pid = recording()?.pid;
    expect(pid).toBeTypeOf('number');
    process.kill(pid as number, 'SIGKILL');

    // The killed run's file has no end (no duration, no cues), yet its closed clusters decode.
    const folder = recordingFolder(recordingsDir, 'killed');
    await waitFor(
      () => (recording()?.parts ?? 0) >= 2,
      WAIT_MS,
      () => JSON.stringify(recording()),
    );
    const part1 = join(folder, 'part-1.mkv');
    expect(ffprobe(part1).codecTypes).toEqual(['audio', 'video']);
    const part1Frames = decodedFrames(part1);
    expect(part1Frames).toBeGreaterThanOrEqual(30);

    await sent;
    host.live.streams.end('killed');
    await waitFor(() => recording()?.state === 'ready' || recording()?.state === 'failed', WAIT_MS);
    expect(recording()?.state).toBe('ready');
    const joined = ffprobe(join(folder, 'recording.mkv'));
    expect(joined.codecTypes).toEqual(['audio', 'video']);
    expect(joined.durationSec).toBeGreaterThan(4);
    expect(decodedFrames(join(folder, 'recording.mkv'))).toBeGreaterThan(part1Frames);
  }, 180_000);
});
