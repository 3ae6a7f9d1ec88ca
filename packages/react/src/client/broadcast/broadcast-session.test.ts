import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BroadcastSession, type BroadcastSessionState } from './broadcast-session';

class FakeSocket extends EventTarget {
  static OPEN = 1;
  readyState = 0;
  binaryType = 'blob';
  sent: unknown[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: (() => void) | null = null;
  closed = false;
  send(data: unknown) {
    this.sent.push(data);
  }
  close() {
    this.closed = true;
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  receive(message: object) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
  lose() {
    this.readyState = 3;
    this.onclose?.();
  }
  texts() {
    return this.sent
      .filter((data): data is string => typeof data === 'string')
      .map((text) => JSON.parse(text));
  }
}

class FakeRecorder extends EventTarget {
  state: 'inactive' | 'recording' = 'inactive';
  timeslice: number | undefined;
  constructor(readonly stream: MediaStream) {
    super();
  }
  start(timeslice?: number) {
    this.state = 'recording';
    this.timeslice = timeslice;
  }
  stop() {
    this.state = 'inactive';
    this.chunk('last');
    this.dispatchEvent(new Event('stop'));
  }
  chunk(text: string) {
    const event = new Event('dataavailable') as Event & { data: Blob };
    // jsdom's Blob has no arrayBuffer(): a stand-in with the two members the session reads.
    const bytes = new TextEncoder().encode(text);
    Object.assign(event, { data: { size: bytes.byteLength, arrayBuffer: async () => bytes.buffer } });
    this.dispatchEvent(event);
  }
}

const welcome = {
  type: 'broadcast-welcome',
  protocolVersion: 1,
  streamId: 'show',
  maxChunkBytes: 1 << 20,
  resumed: false,
};
const camera = { id: 'camera' } as unknown as MediaStream;

function setup() {
  const sockets: FakeSocket[] = [];
  const recorders: FakeRecorder[] = [];
  const states: BroadcastSessionState[] = [];
  vi.stubGlobal('WebSocket', FakeSocket);
  const session = new BroadcastSession({
    url: 'ws://server.test/live/ingest',
    streamId: 'show',
    streamKey: 'secret-key',
    reconnect: { initialDelayMs: 100, jitter: 0 },
    onChange: (state) => states.push(state),
    createSocket: () => {
      const socket = new FakeSocket();
      sockets.push(socket);
      return socket as unknown as WebSocket;
    },
    createRecorder: (stream) => {
      const recorder = new FakeRecorder(stream);
      recorders.push(recorder);
      return recorder as unknown as MediaRecorder;
    },
    isTypeSupported: (type) => type === 'video/webm;codecs=vp8,opus',
  });
  return { session, sockets, recorders, states };
}

describe('BroadcastSession', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] }));
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('says hello with the key and container, records once welcomed, and sends chunks in order', async () => {
    const { session, sockets, recorders } = setup();
    session.start(camera);
    expect(session.snapshot.status).toBe('connecting');
    sockets[0]!.open();
    expect(sockets[0]!.texts()[0]).toMatchObject({
      type: 'broadcast-hello',
      streamId: 'show',
      key: 'secret-key',
      mimeType: 'video/webm;codecs=vp8,opus',
    });
    expect(recorders).toHaveLength(0);
    sockets[0]!.receive(welcome);
    expect(session.snapshot.status).toBe('live');
    expect(recorders[0]?.timeslice).toBe(100);
    recorders[0]!.chunk('one');
    recorders[0]!.chunk('two');
    await vi.waitFor(() =>
      expect(sockets[0]!.sent.filter((data) => typeof data !== 'string')).toHaveLength(2),
    );
    const binary = sockets[0]!.sent.filter((data): data is ArrayBuffer => typeof data !== 'string');
    expect(binary.map((bytes) => new TextDecoder().decode(new Uint8Array(bytes)))).toEqual(['one', 'two']);
    expect(session.snapshot.sentBytes).toBe(6);
    sockets[0]!.receive({ type: 'broadcast-status', viewers: 3, startedAt: 5, receivedBytes: 6 });
    expect(session.snapshot).toMatchObject({ viewers: 3, startedAt: 5 });
  });

  it('stops for good on a fatal refusal (a wrong key)', () => {
    const { session, sockets } = setup();
    session.start(camera);
    sockets[0]!.open();
    sockets[0]!.receive({ type: 'error', code: 'ONAIR_FORBIDDEN', message: 'wrong stream key', fatal: true });
    sockets[0]!.lose();
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);
    expect(session.snapshot).toMatchObject({ status: 'error', error: { code: 'ONAIR_FORBIDDEN' } });
  });

  it('resumes a lost socket with a fresh container, without ending the stream', () => {
    const { session, sockets, recorders } = setup();
    session.start(camera);
    sockets[0]!.open();
    sockets[0]!.receive(welcome);
    sockets[0]!.lose();
    expect(session.snapshot.status).toBe('reconnecting');
    expect(recorders[0]?.state).toBe('inactive');
    expect(sockets[0]!.texts().some((message) => message.type === 'broadcast-end')).toBe(false);
    vi.advanceTimersByTime(100);
    expect(sockets).toHaveLength(2);
    sockets[1]!.open();
    expect(sockets[1]!.texts()[0]).toMatchObject({ type: 'broadcast-hello', key: 'secret-key' });
    sockets[1]!.receive({ ...welcome, resumed: true });
    expect(session.snapshot.status).toBe('live');
    expect(recorders).toHaveLength(2);
    expect(recorders[1]?.state).toBe('recording');
  });

  it('switches stream with the old recorder’s last chunk first, then a new container', async () => {
    const { session, sockets, recorders } = setup();
    session.start(camera);
    sockets[0]!.open();
    sockets[0]!.receive(welcome);
    const screen = { id: 'screen' } as unknown as MediaStream;
    session.replaceStream(screen);
    await vi.waitFor(() => expect(sockets[0]!.texts().at(-1)?.type).toBe('broadcast-container'));
    const kinds = sockets[0]!.sent.map((data) =>
      typeof data === 'string' ? JSON.parse(data).type : 'chunk',
    );
    expect(kinds).toEqual(['broadcast-hello', 'chunk', 'broadcast-container']);
    expect(recorders[1]?.stream).toBe(screen);
    expect(recorders[1]?.state).toBe('recording');
  });

  it('ends the stream for everyone with broadcast-end, then closes', async () => {
    const { session, sockets } = setup();
    session.start(camera);
    sockets[0]!.open();
    sockets[0]!.receive(welcome);
    session.end();
    expect(session.snapshot.status).toBe('ended');
    await vi.waitFor(() => expect(sockets[0]!.closed).toBe(true));
    expect(sockets[0]!.texts().at(-1)).toEqual({ type: 'broadcast-end' });
  });

  it('says so when the browser records no WebM', () => {
    const { session } = setup();
    const unsupported = new BroadcastSession({
      url: 'ws://server.test/live/ingest',
      streamId: 'show',
      streamKey: 'k',
      onChange: () => {},
      isTypeSupported: () => false,
    });
    unsupported.start(camera);
    expect(unsupported.snapshot).toMatchObject({
      status: 'error',
      error: { code: 'ONAIR_BROADCAST_UNSUPPORTED' },
    });
    expect(session.snapshot.status).toBe('idle');
  });
});
