import type { UseBroadcastOptions } from '@onair/react';

// A broadcast without a server, a camera or a recorder: the camera is a canvas (a moving picture) with a silent
// audio track, the socket is a script of the server's answers, and the recorder hands over nothing. The
// component and its hook run as they would on a camera page.

/** What the mock server does once the broadcaster's hello arrives. */
export type BroadcastScript =
  /** Welcomes the stream, then reports `viewers` watching a stream live since `liveForMs` ago. */
  | { kind: 'live'; viewers: number; liveForMs: number }
  /** Welcomes it, then the socket drops and no later socket gets through: the stream is reconnecting. */
  | { kind: 'drop'; viewers: number; liveForMs: number }
  /** Welcomes it, then ends the stream (the host ended it). */
  | { kind: 'ended' }
  /** Refuses the key. */
  | { kind: 'refused' };

const OPEN = 1;
const CLOSED = 3;

/** The part of a browser WebSocket that the broadcast session uses. */
class ScriptedSocket {
  binaryType: BinaryType = 'blob';
  readyState = 0;
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();

  constructor(
    private readonly script: BroadcastScript,
    /** A socket after a drop never opens. */
    reachable: boolean,
  ) {
    if (reachable) this.later(0, () => this.open());
  }

  send(data: unknown): void {
    if (typeof data !== 'string' || this.readyState !== OPEN) return;
    const message = JSON.parse(data) as { type: string; streamId?: string };
    if (message.type === 'broadcast-hello') this.answer(message.streamId ?? 'stream');
  }

  close(): void {
    if (this.readyState === CLOSED) return;
    this.readyState = CLOSED;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.onclose?.(new CloseEvent('close', { code: 1000 }));
  }

  private open(): void {
    this.readyState = OPEN;
    this.onopen?.(new Event('open'));
  }

  private answer(streamId: string): void {
    const script = this.script;
    if (script.kind === 'refused') {
      this.receive({
        type: 'error',
        code: 'ONAIR_FORBIDDEN',
        message: 'unknown stream or wrong stream key',
        fatal: true,
      });
      this.later(0, () => this.close());
      return;
    }
    this.receive({
      type: 'broadcast-welcome',
      protocolVersion: 1,
      streamId,
      maxChunkBytes: 1 << 20,
      resumed: false,
    });
    if (script.kind === 'ended') {
      this.later(50, () => this.receive({ type: 'broadcast-ended', reason: 'ended' }));
      return;
    }
    const startedAt = Date.now() - script.liveForMs;
    this.receive({ type: 'broadcast-status', viewers: script.viewers, startedAt, receivedBytes: 0 });
    if (script.kind === 'drop') this.later(50, () => this.close());
  }

  private receive(message: object): void {
    if (this.readyState === OPEN)
      this.onmessage?.(new MessageEvent('message', { data: JSON.stringify(message) }));
  }

  private later(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    this.timers.add(timer);
  }
}

/** A recorder that records nothing: the stories are about the panel, not the media. */
class SilentRecorder extends EventTarget {
  state: RecordingState = 'inactive';
  start(): void {
    this.state = 'recording';
  }
  stop(): void {
    if (this.state === 'inactive') return;
    this.state = 'inactive';
    this.dispatchEvent(new Event('stop'));
  }
}

/** The `session` stand-ins of `<StreamBroadcaster>` for one story: every socket follows `script`. */
export function mockBroadcastSession(script: BroadcastScript): NonNullable<UseBroadcastOptions['session']> {
  let sockets = 0;
  return {
    createSocket: () =>
      new ScriptedSocket(script, script.kind !== 'drop' || sockets++ === 0) as unknown as WebSocket,
    createRecorder: () => new SilentRecorder() as unknown as MediaRecorder,
    isTypeSupported: (type) => type === 'video/webm;codecs=vp8,opus',
  };
}

const DEVICES = [
  { deviceId: 'studio-camera', kind: 'videoinput', label: 'Studio camera', groupId: 'studio' },
  { deviceId: 'desk-microphone', kind: 'audioinput', label: 'Desk microphone', groupId: 'desk' },
] as const;

/**
 * Replaces the browser's camera, screen and device list with a canvas test card and a silent track, until the
 * returned function restores them (Storybook runs it after the story).
 */
export function installFakeCapture(): () => void {
  const media = navigator.mediaDevices;
  const canvas = document.createElement('canvas');
  canvas.width = 320;
  canvas.height = 180;
  const context = canvas.getContext('2d') as CanvasRenderingContext2D;
  let frame = 0;
  const draw = () => {
    frame++;
    context.fillStyle = '#1d3557';
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.fillStyle = '#f1faee';
    context.fillRect((frame * 4) % canvas.width, 70, 40, 40);
  };
  draw();
  const ticker = setInterval(draw, 1000 / 30);
  const audio = new AudioContext();
  const stream = (): MediaStream => {
    const picture = canvas.captureStream(30);
    const sound = audio.createMediaStreamDestination().stream;
    return new MediaStream([...picture.getVideoTracks(), ...sound.getAudioTracks()]);
  };
  const fakes = {
    getUserMedia: async () => stream(),
    getDisplayMedia: async () => stream(),
    enumerateDevices: async () => DEVICES.map((device) => ({ ...device, toJSON: () => device })),
  };
  Object.assign(media, fakes);
  return () => {
    for (const name of Object.keys(fakes)) delete (media as unknown as Record<string, unknown>)[name];
    clearInterval(ticker);
    void audio.close();
  };
}
