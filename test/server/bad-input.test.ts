import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloseCode, ErrorCode, MAX_CLIENT_MESSAGE_BYTES, PROTOCOL_VERSION } from '@onair/protocol';
import { liveStream } from '@onair/server-middleware';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath } from '../fixtures/fixture-files';
import { mediaChildren } from './helpers/child-processes';
import { type RunningHost, startHost } from './helpers/host-app';
import { TestViewer } from './helpers/test-viewer';

describe('liveStream() refuses a bad configuration at call time', () => {
  it('names a missing file', () => {
    const missing = fixturePath('audioVideo').replace('.mp4', '-missing.mp4');
    expect(() => liveStream([missing])).toThrow(`videos[0] ("${missing}"): file not found`);
  });

  it('names a text file with a video extension and says it is not a video', () => {
    expect(() => liveStream([fixturePath('audioVideo'), fixturePath('textAsVideo')])).toThrow(
      /videos\[1\] \(".*not-a-video\.mp4"\): not a readable video: Invalid data/,
    );
  });

  it('names a file of random bytes', () => {
    expect(() => liveStream([fixturePath('corrupt')])).toThrow(/corrupt\.mp4.*not a readable video/);
  });

  it('names an audio-only file and says it has no video stream', () => {
    expect(() => liveStream([fixturePath('audioOnly')])).toThrow(
      /audio-only\.mp4.*has no video stream \(audio only\)/,
    );
  });

  it('throws a TypeError naming a bad option, before probing anything', () => {
    expect(() => liveStream([fixturePath('audioVideo')], { ackWindow: 0 })).toThrow(TypeError);
    expect(() => liveStream([fixturePath('audioVideo')], { ackWindow: 0 })).toThrow(/"ackWindow"/);
  });

  it('says an ffprobe that is there but not executable is exactly that, and how to fix it', () => {
    const directory = mkdtempSync(join(tmpdir(), 'onair-no-exec-'));
    const ffprobe = join(directory, 'ffprobe');
    writeFileSync(ffprobe, '#!/bin/sh\nexit 0\n');
    chmodSync(ffprobe, 0o644);
    const saved = process.env.FFPROBE_PATH;
    process.env.FFPROBE_PATH = ffprobe;
    try {
      expect(() => liveStream([fixturePath('audioVideo')])).toThrow(
        `liveStream: ffprobe found at ${ffprobe} (FFPROBE_PATH), not executable: EACCES. ` +
          `Fix it with \`chmod +x ${ffprobe}\`, or set FFPROBE_PATH to an executable ffprobe`,
      );
    } finally {
      if (saved === undefined) delete process.env.FFPROBE_PATH;
      else process.env.FFPROBE_PATH = saved;
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('leaves no process behind after refusing', () => {
    expect(mediaChildren()).toEqual([]);
  });
});

describe('hostile or broken viewers', () => {
  let host: RunningHost;
  let bystander: TestViewer;
  const viewers: TestViewer[] = [];
  const connect = async (hello = true) => {
    const viewer = await TestViewer.connect(host.wsUrl, { hello });
    viewers.push(viewer);
    return viewer;
  };

  /** The socket still answers: a catalog request gets a catalog. */
  async function expectUsable(viewer: TestViewer) {
    viewer.send({ type: 'catalog' });
    expect((await viewer.next('catalog')).videos).toHaveLength(2);
  }

  beforeAll(async () => {
    host = await startHost(
      [
        { id: 'av', input: fixturePath('audioVideo') },
        { id: 'quiet', input: fixturePath('videoOnly') },
      ],
      { restartDelayMs: 100 },
    );
    bystander = await connect();
    bystander.send({ type: 'select', videoId: 'quiet' });
    await bystander.collectVideo(2);
  });

  afterAll(async () => {
    // Whatever the others did, the bystander kept receiving frames and never saw an error.
    const before = bystander.video.length;
    await bystander.collectVideo(5);
    expect(bystander.video.length).toBeGreaterThan(before);
    expect(bystander.messages.filter((message) => message.type === 'error')).toEqual([]);
    for (const viewer of viewers) viewer.close();
    await host?.close();
  });

  it('answers an unknown video id with ONAIR_UNKNOWN_VIDEO and still serves a known one on that socket', async () => {
    const viewer = await connect();
    viewer.send({ type: 'select', videoId: 'no-such-video' });
    expect(await viewer.nextError(ErrorCode.UnknownVideo)).toMatchObject({ fatal: false });
    viewer.send({ type: 'select', videoId: 'av' });
    await viewer.next('stream');
    await viewer.collectVideo(2);
  });

  it.each([
    ['malformed JSON', '{"type":"select",'],
    ['an unknown message type', '{"type":"rewind"}'],
    ['a select with an invalid frame rate', '{"type":"select","videoId":"av","videoFps":0}'],
    ['a select with a path as id', '{"type":"select","videoId":"../../etc/passwd"}'],
    ['feedback with a negative buffer level', JSON.stringify({ type: 'feedback', bufferLevel: -1 })],
  ])('answers %s with ONAIR_BAD_MESSAGE and stays usable', async (_what, text) => {
    const viewer = await connect();
    viewer.sendRaw(text);
    expect(await viewer.nextError(ErrorCode.BadMessage)).toMatchObject({ fatal: false });
    await expectUsable(viewer);
  });

  it('answers text over the control limit with ONAIR_MESSAGE_TOO_LARGE and stays usable', async () => {
    const viewer = await connect();
    viewer.sendRaw(JSON.stringify({ type: 'catalog', padding: 'x'.repeat(20_000) }));
    expect(await viewer.nextError(ErrorCode.MessageTooLarge)).toMatchObject({ fatal: false });
    await expectUsable(viewer);
  });

  it('closes with 1009 a message over maxClientMessageBytes', async () => {
    const viewer = await connect();
    viewer.sendRaw(Buffer.alloc(MAX_CLIENT_MESSAGE_BYTES + 1));
    expect((await viewer.closed()).code).toBe(1009);
  });

  it('closes with 1007 a text message that is not valid UTF-8, as PROTOCOL.md says', async () => {
    const viewer = await connect();
    viewer.sendRaw(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
    expect((await viewer.closed()).code).toBe(CloseCode.InvalidPayload);
  });

  it('answers random binary bytes with ONAIR_BAD_BINARY and stays usable', async () => {
    const viewer = await connect();
    viewer.sendRaw(Buffer.from([0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5, 6, 7]));
    expect(await viewer.nextError(ErrorCode.BadBinary)).toMatchObject({ fatal: false });
    await expectUsable(viewer);
  });

  it('answers a rung outside the ladder with ONAIR_BAD_RUNG', async () => {
    const viewer = await connect();
    viewer.send({ type: 'quality', rung: 9 });
    expect(await viewer.nextError(ErrorCode.BadRung)).toMatchObject({ fatal: false });
    await expectUsable(viewer);
  });

  it('answers anything before the hello with ONAIR_HELLO_REQUIRED, and accepts the hello after it', async () => {
    const viewer = await connect(false);
    viewer.send({ type: 'select', videoId: 'av' });
    expect(await viewer.nextError(ErrorCode.HelloRequired)).toMatchObject({ fatal: false });
    viewer.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION });
    await viewer.next('welcome');
    await expectUsable(viewer);
  });

  it('refuses another protocol version with a fatal error, then closes with its close code', async () => {
    const viewer = await connect(false);
    viewer.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION + 1 });
    expect(await viewer.nextError(ErrorCode.ProtocolVersion)).toMatchObject({ fatal: true });
    expect((await viewer.closed()).code).toBe(CloseCode.ProtocolVersion);
  });

  it("tells a channel's viewers ONAIR_CHANNEL_FAILED when its ffmpeg is killed, then resumes live", async () => {
    const viewer = await connect();
    viewer.send({ type: 'select', videoId: 'av' });
    await viewer.collectVideo(3);
    const before = host.live.stats().channels.find((channel) => channel.id === 'av')!;
    process.kill(before.decoder.pid!, 'SIGKILL');

    const failure = await viewer.nextError(ErrorCode.ChannelFailed);
    expect(failure.fatal).toBe(false);
    const streamAgain = await viewer.next('stream');
    const [resumed] = await viewer.collectVideo(1);
    expect(streamAgain.videoId).toBe('av');
    expect(Math.abs(Date.now() - resumed!.timestamp)).toBeLessThan(500);

    const after = host.live.stats().channels.find((channel) => channel.id === 'av')!;
    expect(after.restarts).toBe(1);
    expect(after.decoder.pid).not.toBe(before.decoder.pid);
    expect(mediaChildren().map((child) => child.pid)).toContain(after.decoder.pid);
  });
});
