import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AudioPlayout, CHUNK_MARGIN_MS, MAX_LINK_MARGIN_MS } from './audio-playout';

const SAMPLE_RATE = 8_000;
const CHUNK_MS = 100;
const BUFFER_MS = 200;

/** A Web Audio stand-in on a fake clock: `currentTime` moves only when the test says, and started sources are kept. */
class FakeAudioContext {
  static current: FakeAudioContext | null = null;
  state = 'running';
  currentTime = 0;
  baseLatency = 0;
  outputLatency = 0;
  destination = {};
  onstatechange: (() => void) | null = null;
  readonly started: { startAt: number; stopped: boolean }[] = [];
  constructor() {
    FakeAudioContext.current = this;
  }
  createGain() {
    return { gain: { value: 1 }, connect() {} };
  }
  createBuffer() {
    return { copyToChannel() {} };
  }
  createBufferSource() {
    const record = { startAt: Number.NaN, stopped: false };
    return {
      buffer: null,
      onended: null,
      connect() {},
      disconnect() {},
      start: (at: number) => {
        record.startAt = at;
        this.started.push(record);
      },
      stop: () => {
        record.stopped = true;
      },
    };
  }
  close() {
    return Promise.resolve();
  }
}

/** A playout on the scheduled path asking 120 ms, with no live edge: for the delay it starts with. */
const playoutAsking120 = () =>
  new AudioPlayout({ bufferMs: 120, onStateChange: () => {}, liveEdge: () => null, path: () => 'scheduled' });
/** Mono s16le PCM in chunks of `chunkMs`. */
const pcmFormat = (chunkMs: number) =>
  ({ codec: 'pcm', sampleRate: SAMPLE_RATE, channels: 1, sampleFormat: 's16le', chunkMs }) as const;

/** 100 ms of mono s16le PCM. */
const chunk = () => new Uint8Array(((SAMPLE_RATE * CHUNK_MS) / 1000) * 2);

describe('AudioPlayout on the scheduled path, on a fake clock', () => {
  beforeEach(() => vi.stubGlobal('AudioContext', FakeAudioContext));
  afterEach(() => vi.unstubAllGlobals());

  it('after a stall drops the audio behind the live edge, and resumes at the live edge', () => {
    const link = { edge: 0 };
    const playout = new AudioPlayout({
      bufferMs: BUFFER_MS,
      onStateChange: () => {},
      liveEdge: () => link.edge,
      path: () => 'scheduled',
    });
    playout.configure({
      codec: 'pcm',
      sampleRate: SAMPLE_RATE,
      channels: 1,
      sampleFormat: 's16le',
      chunkMs: 100,
    });
    const context = FakeAudioContext.current!;
    // The channel clock runs with the context's: channel time = 10 000 ms + context time.
    const at = (channelTime: number) => {
      context.currentTime = (channelTime - 10_000) / 1000;
      link.edge = channelTime;
    };
    for (let t = 10_000; t < 11_000; t += CHUNK_MS) {
      at(t);
      playout.push(t, chunk());
    }
    at(11_000);
    expect(playout.readStats().audioState).toBe('playing');
    // The delay in use: the configured one so far.
    expect(playout.readStats().audioDelayMs).toBe(BUFFER_MS);
    // Two seconds of nothing: the sound runs out, and the player says it has none.
    at(13_000);
    expect(playout.readStats().audioState).toBe('silent');
    expect(playout.now()).toBeNull();
    // The link recovers: the stall's two seconds arrive at once.
    const before = context.started.length;
    for (let t = 11_000; t < 13_000; t += CHUNK_MS) playout.push(t, chunk());
    const scheduled = context.started.length - before;
    // Only what is within the playout delay and the stale margin of the live edge was worth scheduling.
    expect(scheduled).toBeLessThanOrEqual((BUFFER_MS + 500) / CHUNK_MS + 1);
    expect(scheduled).toBeGreaterThan(0);
    // Half a second on, it plays, no farther behind live than the playout delay, a chunk and the ceiling.
    at(13_500);
    const heard = playout.now();
    expect(heard).not.toBeNull();
    expect(13_500 - heard!).toBeLessThanOrEqual(BUFFER_MS + CHUNK_MS + 300);
    // The underrun lengthened the delay in use by a step, and the stats say so.
    expect(playout.readStats().audioDelayMs).toBe(BUFFER_MS + 100);
    playout.close();
  });

  it('never starts with less sound than a chunk of the stream and the margin, whatever the option asks', () => {
    const playout = playoutAsking120();
    playout.configure(pcmFormat(40));
    expect(playout.baseDelayMs).toBe(120);
    expect(playout.readStats().audioDelayMs).toBe(120);
    // A server sending 100 ms chunks: the buffer would hold 20 ms just before each one lands.
    playout.close();
    playout.configure(pcmFormat(100));
    expect(playout.baseDelayMs).toBe(100 + CHUNK_MARGIN_MS);
    expect(playout.readStats().audioDelayMs).toBe(100 + CHUNK_MARGIN_MS);
    // A longer delay asked for is kept.
    playout.setBufferMs(400);
    expect(playout.baseDelayMs).toBe(400);
    playout.close();
  });

  it('holds three round trips of the link beyond a chunk where that is more than the margin, up to a bound', () => {
    const playout = playoutAsking120();
    const delayOn = (roundTripMs: number | null) => {
      playout.close();
      playout.configure(pcmFormat(40), roundTripMs);
      return playout.readStats().audioDelayMs;
    };
    // A LAN or a near server: three round trips are less than the margin, the option's 120 ms stands.
    expect(delayOn(null)).toBe(120);
    expect(delayOn(10)).toBe(120);
    // 80 ms away (profile C): a lost chunk shows a chunk later and is repaired a round trip after; 40 + 240.
    expect(delayOn(80)).toBe(280);
    // A hello answered very late (a busy page) costs at most the bound.
    expect(delayOn(5_000)).toBe(40 + MAX_LINK_MARGIN_MS);
    playout.close();
  });
});
