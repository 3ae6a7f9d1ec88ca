import { spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type BroadcastHelloMessage,
  decodeBroadcastServerMessage,
  PROTOCOL_VERSION,
  type StreamCreated,
} from '@onair/protocol';
import type { Page } from 'playwright-core';
import WebSocket from 'ws';

/** One browser broadcast as its socket carried it: the container type and each media chunk with when it left. */
export interface RecordedBroadcast {
  mimeType: string;
  /** `atMs`: since the first chunk left the page. */
  chunks: { atMs: number; data: Buffer }[];
}

/**
 * Starts keeping what the page sends on its broadcast socket (`<mount>/ingest`): call before the page opens the
 * socket; `take()` hands out what was kept so far.
 */
export function recordBroadcastSocket(page: Page): { take(): RecordedBroadcast } {
  let mimeType: string | null = null;
  let firstAt: number | null = null;
  const newContainer = false;
  const chunks: RecordedBroadcast['chunks'] = [];
  page.on('websocket', (socket) => {
    if (!new URL(socket.url()).pathname.endsWith('/ingest')) return;
    socket.on('framesent', ({ payload }) => {
      if (typeof payload === 'string') {
        const message = JSON.parse(payload) as { type: string; mimeType?: string };
        if (message.type === 'broadcast-hello') mimeType = message.mimeType ?? null;
        else if (message.type === 'broadcast-container') {
          throw new Error(
            'the broadcaster started a new container while recorded: one container is replayed',
          );
        }
        return;
      }
      const now = performance.now();
      firstAt ??= now;
      chunks.push({ atMs: now - firstAt, data: Buffer.from(payload) });
    });
  });
  return {
    take() {
      if (newContainer)
        throw new Error('the broadcaster started a new container while recorded: one is replayed');
      if (mimeType === null || chunks.length === 0)
        throw new Error('no broadcast was recorded from the page');
      return { mimeType, chunks: [...chunks] };
    },
  };
}

/**
 * Feeds a recorded browser broadcast into a stream over the broadcast socket, each chunk at the moment it left the
 * page: to the server it is that browser's broadcast, without a browser spending the machine's cores on it.
 */
export class BroadcastReplay {
  private stopped = false;
  private socket: WebSocket | null = null;

  constructor(
    private readonly ingestUrl: string,
    private readonly recording: RecordedBroadcast,
  ) {}

  /** Resolves once the server welcomed the hello; the chunks then follow on their own. */
  async start(created: StreamCreated): Promise<void> {
    const socket = new WebSocket(this.ingestUrl);
    this.socket = socket;
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.once('open', () => resolve());
    });
    const hello: BroadcastHelloMessage = {
      type: 'broadcast-hello',
      protocolVersion: PROTOCOL_VERSION,
      streamId: created.stream.id,
      key: created.ingest.key,
      mimeType: this.recording.mimeType,
      client: 'bench-replay',
    };
    socket.send(JSON.stringify(hello));
    await new Promise<void>((resolve, reject) => {
      socket.once('close', (code) => reject(new Error(`the ingest closed (${code}) before its welcome`)));
      socket.once('message', (data) => {
        const message = decodeBroadcastServerMessage(String(data));
        if (message.ok && message.value.type === 'broadcast-welcome') resolve();
        else reject(new Error(`the ingest answered the hello with ${String(data).slice(0, 200)}`));
      });
    });
    void this.feed(socket);
  }

  /** Whether every chunk was sent (the recording was long enough for the run). */
  get finished(): boolean {
    return this.sent === this.recording.chunks.length;
  }

  private sent = 0;

  private async feed(socket: WebSocket): Promise<void> {
    const startedAt = performance.now();
    for (const chunk of this.recording.chunks) {
      const wait = startedAt + chunk.atMs - performance.now();
      if (wait > 0) await sleep(wait);
      if (this.stopped || socket.readyState !== WebSocket.OPEN) return;
      socket.send(chunk.data);
      this.sent++;
    }
  }

  close(): void {
    this.stopped = true;
    this.socket?.close();
  }
}

/** Video frames in a recording and the seconds they span, read by ffprobe from its chunks put back together. */
export function recordedFrameRate(
  recording: RecordedBroadcast,
  ffprobe: string,
): { frames: number; fps: number } {
  const result = spawnSync(
    ffprobe,
    [
      '-v',
      'error',
      '-select_streams',
      'v:0',
      '-count_frames',
      '-show_entries',
      'stream=nb_read_frames',
      '-of',
      'csv=p=0',
      '-',
    ],
    {
      input: Buffer.concat(recording.chunks.map((chunk) => chunk.data)),
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    },
  );
  const frames = Number.parseInt(result.stdout, 10);
  if (!Number.isFinite(frames))
    throw new Error(`ffprobe counted no frames in the recording: ${result.stderr}`);
  const seconds = (recording.chunks.at(-1)?.atMs ?? 0) / 1000;
  return { frames, fps: seconds > 0 ? frames / seconds : Number.NaN };
}
