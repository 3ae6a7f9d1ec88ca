import {
  CloseCode,
  decodeAudioSocketMessage,
  decodeMediaMessage,
  type MediaMessage,
  PROTOCOL_VERSION,
} from '@onair/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { fixturePath } from '../fixtures/fixture-files';
import { type RunningHost, startHost } from './helpers/host-app';
import { refusedUpgradeStatus, TestViewer } from './helpers/test-viewer';

const AV = 'av';
const OTHER = 'av-again';

/** A raw client of `<mount>/audio`: every text message decoded, every binary one as media. */
interface AudioClient {
  ws: WebSocket;
  texts: unknown[];
  chunks: MediaMessage[];
  closed: Promise<{ code: number; reason: string }>;
}

async function openAudioSocket(host: RunningHost, token: string): Promise<AudioClient> {
  const ws = new WebSocket(`${host.wsUrl.replace(/\/ws$/, '/audio')}?audioToken=${token}`);
  const client: AudioClient = {
    ws,
    texts: [],
    chunks: [],
    closed: new Promise((resolve) =>
      ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
    ),
  };
  ws.on('message', (data: Buffer, isBinary) => {
    if (!isBinary) {
      const decoded = decodeAudioSocketMessage(data.toString('utf8'));
      client.texts.push(decoded.ok ? decoded.value : `undecodable: ${decoded.error.message}`);
      return;
    }
    const media = decodeMediaMessage(data);
    if (media.ok) client.chunks.push(media.value);
    else client.texts.push(`bad media: ${media.error.message}`);
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return client;
}

async function viewerAskingForAudioSocket(host: RunningHost): Promise<{ viewer: TestViewer; token: string }> {
  const viewer = await TestViewer.connect(host.wsUrl, { hello: false });
  viewer.send({
    type: 'hello',
    protocolVersion: PROTOCOL_VERSION,
    client: 'integration-test',
    audioCodecs: ['opus'],
    audioSocket: true,
  });
  const welcome = await viewer.next('welcome');
  if (!welcome.audioSocket) throw new Error('the welcome offered no audio socket');
  return { viewer, token: welcome.audioSocket.token };
}

describe('the audio socket', () => {
  let host: RunningHost;
  const open: { close(): void }[] = [];

  beforeAll(async () => {
    host = await startHost(
      [
        { id: AV, input: fixturePath('audioVideo') },
        { id: OTHER, input: fixturePath('audioVideo') },
      ],
      { idleTimeoutMs: 300, restartDelayMs: 100 },
    );
  });

  afterAll(async () => {
    for (const each of open) each.close();
    await host?.close();
  });

  /** The newest viewer's entry in `live.stats()`, read afresh at each call. */
  const newestSession = () => {
    const id = Math.max(...host.live.stats().sessions.map((session) => session.id));
    return () => host.live.stats().sessions.find((session) => session.id === id);
  };

  it('is not offered to a hello that does not ask for it', async () => {
    const viewer = await TestViewer.connect(host.wsUrl);
    open.push(viewer);
    const welcome = viewer.messages.find((message) => message.type === 'welcome');
    expect(welcome).toBeDefined();
    expect(welcome && 'audioSocket' in welcome).toBe(false);
  });

  it('carries the sound apart from the video, names each stream first, and hands it back when it closes', async () => {
    const { viewer, token } = await viewerAskingForAudioSocket(host);
    open.push(viewer);
    const audio = await openAudioSocket(host, token);
    open.push({ close: () => audio.ws.terminate() });
    const session = newestSession();
    await viewer.waitFor(() => session()?.audioSocket, 'the session to take the audio socket');

    viewer.send({ type: 'select', videoId: AV });
    const stream = await viewer.next('stream');
    expect(stream.audio?.codec).toBe('opus');
    await viewer.waitFor(() => audio.chunks.length >= 10, '10 audio chunks on the audio socket');
    await viewer.collectVideo(10);
    expect(audio.texts[0]).toEqual({ type: 'audio-stream', videoId: AV });
    expect(audio.chunks.every((chunk) => chunk.kind === 'audio')).toBe(true);
    const stamps = audio.chunks.map((chunk) => chunk.timestamp);
    expect(stamps).toEqual([...stamps].sort((a, b) => a - b));
    // Attached before the select: no sound at all on the viewer socket.
    expect(viewer.audio).toHaveLength(0);

    // Another stream: named on the audio socket before its first chunk.
    const chunksBefore = audio.chunks.length;
    viewer.send({ type: 'select', videoId: OTHER });
    await viewer.next('stream');
    await viewer.waitFor(() => audio.texts.length >= 2, 'the second audio-stream');
    expect(audio.texts[1]).toEqual({ type: 'audio-stream', videoId: OTHER });
    await viewer.waitFor(() => audio.chunks.length >= chunksBefore + 5, 'the new stream’s chunks');

    audio.ws.close();
    await audio.closed;
    await viewer.waitFor(() => viewer.audio.length >= 5, 'the sound back on the viewer socket');
    expect(session()?.audioSocket).toBe(false);
  });

  it('refuses an unknown or missing token before the handshake', async () => {
    const base = host.wsUrl.replace(/\/ws$/, '/audio');
    expect(await refusedUpgradeStatus(`${base}?audioToken=${'x'.repeat(32)}`)).toBe(403);
    expect(await refusedUpgradeStatus(base)).toBe(403);
  });

  it('closes with 1008 when the client sends on it, and the sound goes back to the viewer socket', async () => {
    const { viewer, token } = await viewerAskingForAudioSocket(host);
    open.push(viewer);
    const audio = await openAudioSocket(host, token);
    viewer.send({ type: 'select', videoId: AV });
    await viewer.waitFor(() => audio.chunks.length >= 3, 'audio on the audio socket');
    audio.ws.send('hello?');
    expect((await audio.closed).code).toBe(CloseCode.PolicyViolation);
    await viewer.waitFor(() => viewer.audio.length >= 3, 'the sound back on the viewer socket');
  });

  it('is replaced by a newer one of the same viewer, and closes with its viewer socket, whose token then goes', async () => {
    const { viewer, token } = await viewerAskingForAudioSocket(host);
    const first = await openAudioSocket(host, token);
    const second = await openAudioSocket(host, token);
    expect((await first.closed).code).toBe(CloseCode.AudioSocketReplaced);
    viewer.send({ type: 'select', videoId: AV });
    await viewer.waitFor(() => second.chunks.length >= 3, 'audio on the newer audio socket');

    viewer.close();
    expect((await second.closed).code).toBe(1000);
    const base = host.wsUrl.replace(/\/ws$/, '/audio');
    expect(await refusedUpgradeStatus(`${base}?audioToken=${token}`)).toBe(403);
  });
});
