import { type ChildProcess, spawn } from 'node:child_process';
import type { RtmpIngest } from '@onair/server-middleware';
import { resolveFfmpegTools } from '@onair/server-middleware';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath } from '../fixtures/fixture-files';
import { type RunningHost, startHost } from './helpers/host-app';
import { waitForMessage } from './helpers/social';
import { TestViewer } from './helpers/test-viewer';
import { waitFor } from './helpers/wait-for';

// Issue 13 item 3 wired to the streams: ffmpeg publishes over RTMP with a stream's key, as OBS would (server
// rtmp://host:port/live, the key as stream key); the stream goes live and viewers watch it; a wrong key is refused;
// ending the stream disconnects the publisher.

const WAIT_MS = 30_000;

function publish(url: string): { child: ChildProcess; exited: Promise<number | null> } {
  const child = spawn(
    resolveFfmpegTools().ffmpeg,
    [
      ...['-hide_banner', '-loglevel', 'error', '-re'],
      ...['-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=30'],
      ...['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000', '-t', '120'],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-g', '30'],
      ...['-c:a', 'aac', '-f', 'flv', url],
    ],
    { stdio: ['ignore', 'ignore', 'ignore'] },
  );
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { child, exited };
}

describe('RTMP publishing into streams created at run time', () => {
  let host: RunningHost;
  let rtmp: RtmpIngest;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    host = await startHost([{ id: 'clip', input: fixturePath('videoOnly') }]);
    rtmp = await host.live.listenRtmp({ port: 0, host: '127.0.0.1' });
  });

  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await host?.close();
  });

  it('refuses a key no stream has', async () => {
    const wrong = publish(`rtmp://127.0.0.1:${rtmp.port}/live/not-a-key`);
    children.push(wrong.child);
    expect(await wrong.exited).not.toBe(0);
    expect(host.live.stats().channels.map((channel) => channel.id)).toEqual(['clip']);
  }, 60_000);

  it('takes a scheduled stream live with its key, serves it to a viewer, and disconnects it when it ends', async () => {
    const { stream, ingest } = host.live.streams.create({ id: 'obs', title: 'From OBS' });
    const publisher = publish(`rtmp://127.0.0.1:${rtmp.port}/live/${ingest.key}`);
    children.push(publisher.child);
    await waitFor(() => host.live.streams.get(stream.id)?.status === 'live', WAIT_MS);

    const viewer = await TestViewer.connect(host.wsUrl);
    viewer.send({ type: 'select', videoId: 'obs' });
    const started = await waitForMessage(viewer, 'stream', (message) => message.videoId === 'obs', WAIT_MS);
    expect([started.width, started.height]).toEqual([320, 240]);
    await viewer.collectVideo(10, WAIT_MS);
    expect(viewer.audio.length).toBeGreaterThan(0);

    const from = viewer.messages.length;
    host.live.streams.end('obs');
    expect(await viewer.next('stream-status', from)).toMatchObject({ videoId: 'obs', status: 'ended' });
    // The publisher is disconnected: ffmpeg's push fails and it exits.
    await publisher.exited;
    expect(rtmp.stats().publishing).toEqual([]);
    viewer.close();
  }, 90_000);
});
