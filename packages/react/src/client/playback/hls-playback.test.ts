import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeHls, fakeVideo, loadFakeHls, TWO_LEVELS } from '../../test-support/fake-hls';
import { type HlsLevel, initialSnapshot } from '../state/snapshot';
import { HlsPlayback } from './hls-playback';

const URL_A = 'http://media.test/live/hls/a/master.m3u8';
const backoff = { initialDelayMs: 100, maxDelayMs: 1_000, factor: 2, jitter: 0, maxAttempts: 3 };

function setUp() {
  let levels: readonly HlsLevel[] = [];
  const playback = new HlsPlayback({
    loadHls: loadFakeHls,
    reconnect: backoff,
    snapshot: () => initialSnapshot('ws', 'hls'),
    loadCatalog: async () => {},
    showLevels: (shown) => {
      levels = shown.hlsLevels ?? levels;
    },
  });
  const video = fakeVideo();
  // What it last said, and the renditions it last showed the quality menu.
  return { playback, video, last: () => ({ ...playback.getState(), levels }) };
}

/** Lets the dynamic import (a resolved promise here) settle. */
const flush = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => {
  vi.useFakeTimers();
  FakeHls.reset();
});
afterEach(() => vi.useRealTimers());

describe('HlsPlayback', () => {
  it('loads nothing until it has both a <video> and a URL, then plays the master playlist with the live config', async () => {
    const { playback, video, last } = setUp();
    playback.load(URL_A);
    await flush();
    expect(FakeHls.instances).toHaveLength(0);
    playback.attach(video);
    await flush();
    const hls = FakeHls.latest();
    expect(hls.source).toBe(URL_A);
    expect(hls.media).toBe(video);
    expect(hls.config).toMatchObject({
      liveSyncDurationCount: 1.5,
      liveMaxLatencyDurationCount: 4,
      maxLiveSyncPlaybackRate: 1.5,
      lowLatencyMode: true,
    });
    expect(last()?.status).toBe('connecting');
    hls.manifest(TWO_LEVELS);
    expect(video.playCalls).toBe(1);
    expect(last()?.levels.map((level) => level.label)).toEqual(['240p', '360p']);
    video.dispatchEvent(new Event('playing'));
    expect(last()?.status).toBe('live');
  });

  it('sets hls.currentLevel for a chosen level and -1 for auto, also when chosen before the manifest', async () => {
    const { playback, video } = setUp();
    playback.setQuality(1);
    playback.attach(video);
    playback.load(URL_A);
    await flush();
    const hls = FakeHls.latest();
    hls.manifest(TWO_LEVELS);
    expect(hls.currentLevel).toBe(1);
    playback.setQuality('auto');
    expect(hls.currentLevel).toBe(-1);
  });

  it('reports a network error as reconnecting, restarts loading after the backoff, and is live again', async () => {
    const { playback, video, last } = setUp();
    playback.attach(video);
    playback.load(URL_A);
    await flush();
    const hls = FakeHls.latest();
    hls.manifest(TWO_LEVELS);
    video.dispatchEvent(new Event('playing'));
    hls.fatal(FakeHls.ErrorTypes.NETWORK_ERROR);
    expect(last()?.status).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(99);
    expect(hls.calls).not.toContain('startLoad');
    await vi.advanceTimersByTimeAsync(1);
    expect(hls.calls).toContain('startLoad');
    hls.emit(FakeHls.Events.FRAG_BUFFERED);
    expect(last()?.status).toBe('live');
  });

  it('recovers media errors, swapping the audio codec on the second', async () => {
    const { playback, video, last } = setUp();
    playback.attach(video);
    playback.load(URL_A);
    await flush();
    const hls = FakeHls.latest();
    hls.manifest(TWO_LEVELS);
    hls.fatal(FakeHls.ErrorTypes.MEDIA_ERROR);
    expect(hls.calls.at(-1)).toBe('recoverMediaError');
    expect(last()?.status).toBe('buffering');
    hls.fatal(FakeHls.ErrorTypes.MEDIA_ERROR);
    expect(hls.calls.slice(-2)).toEqual(['swapAudioCodec', 'recoverMediaError']);
  });

  it('destroys and recreates hls.js on other fatal errors', async () => {
    const { playback, video } = setUp();
    playback.attach(video);
    playback.load(URL_A);
    await flush();
    const first = FakeHls.latest();
    first.fatal('muxError');
    expect(first.destroyed).toBe(true);
    await vi.advanceTimersByTimeAsync(100);
    expect(FakeHls.instances).toHaveLength(2);
    expect(FakeHls.latest().source).toBe(URL_A);
  });

  it('gives up with ONAIR_HLS_FAILED after maxAttempts and plays again on a new load', async () => {
    const { playback, video, last } = setUp();
    playback.attach(video);
    playback.load(URL_A);
    await flush();
    const hls = FakeHls.latest();
    hls.manifest(TWO_LEVELS);
    for (let attempt = 0; attempt < 3; attempt++) {
      hls.fatal(FakeHls.ErrorTypes.NETWORK_ERROR, 'levelLoadError');
      await vi.advanceTimersByTimeAsync(1_000);
    }
    hls.fatal(FakeHls.ErrorTypes.NETWORK_ERROR, 'levelLoadError');
    expect(last()?.status).toBe('error');
    expect(last()?.error).toEqual({
      code: 'ONAIR_HLS_FAILED',
      message: 'HLS playback failed (levelLoadError)',
      fatal: true,
    });
    expect(hls.destroyed).toBe(true);
    playback.load(URL_A);
    await flush();
    expect(FakeHls.instances).toHaveLength(2);
    expect(last()?.status).toBe('connecting');
  });

  it("stops at once on a 401 or 403 and shows the server's own reason", async () => {
    const { playback, video, last } = setUp();
    playback.attach(video);
    playback.load(URL_A);
    await flush();
    const hls = FakeHls.latest();
    hls.fatal(FakeHls.ErrorTypes.NETWORK_ERROR, 'manifestLoadError', {
      url: URL_A,
      response: { code: 401, text: 'Unauthorized' },
      networkDetails: { responseText: '{"error":{"code":"ONAIR_UNAUTHORIZED","message":"token required"}}' },
    });
    expect(last()?.status).toBe('error');
    expect(last()?.error).toEqual({
      code: 'ONAIR_UNAUTHORIZED',
      message: 'not allowed to watch this stream over HLS: token required (HTTP 401)',
      fatal: true,
    });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(FakeHls.instances).toHaveLength(1);
  });

  it('says a playlist that never loads was blocked (CORS) or unreachable, after a few tries, not "Error"', async () => {
    const { playback, video, last } = setUp();
    playback.attach(video);
    playback.load(URL_A);
    await flush();
    const blocked = { url: URL_A, response: { code: 0, text: '' } };
    FakeHls.latest().fatal(FakeHls.ErrorTypes.NETWORK_ERROR, 'manifestLoadError', blocked);
    expect(last()?.status).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(100);
    FakeHls.latest().fatal(FakeHls.ErrorTypes.NETWORK_ERROR, 'manifestLoadError', blocked);
    await vi.advanceTimersByTimeAsync(200);
    FakeHls.latest().fatal(FakeHls.ErrorTypes.NETWORK_ERROR, 'manifestLoadError', blocked);
    expect(FakeHls.instances).toHaveLength(3);
    expect(last()?.status).toBe('error');
    expect(last()?.error?.message).toBe(
      'could not load the HLS playlist from media.test: the browser blocked the request or the network failed ' +
        '(a server on another origin must allow this page with CORS headers)',
    );
  });

  it('names what failed and its HTTP status when recovery gives up', async () => {
    const { playback, video, last } = setUp();
    playback.attach(video);
    playback.load(URL_A);
    await flush();
    const hls = FakeHls.latest();
    hls.manifest(TWO_LEVELS);
    for (let attempt = 0; attempt < 3; attempt++) {
      hls.fatal(FakeHls.ErrorTypes.NETWORK_ERROR, 'levelLoadError', {
        url: 'http://media.test/live/hls/a/360p/index.m3u8',
        response: { code: 503, text: 'Service Unavailable' },
        networkDetails: { responseText: '{"error":{"code":"ONAIR_CHANNEL_FAILED","message":"retry"}}' },
      });
      await vi.advanceTimersByTimeAsync(1_000);
    }
    hls.fatal(FakeHls.ErrorTypes.NETWORK_ERROR, 'levelLoadError', {
      url: 'http://media.test/live/hls/a/360p/index.m3u8',
      response: { code: 503 },
    });
    expect(last()?.error?.message).toBe('could not load a rendition playlist from media.test: HTTP 503');
  });

  it('resumes at the live edge (hls.liveSyncPosition) when played after a pause', async () => {
    const { playback, video } = setUp();
    playback.attach(video);
    playback.load(URL_A);
    await flush();
    const hls = FakeHls.latest();
    hls.manifest(TWO_LEVELS);
    playback.setPaused(true);
    hls.liveSyncPosition = 42;
    playback.setPaused(false);
    expect(video.currentTime).toBe(42);
    expect(video.playCalls).toBe(2);
  });

  it('says when the browser can play HLS neither with hls.js nor natively', async () => {
    FakeHls.supported = false;
    const { playback, video, last } = setUp();
    video.canPlayType = () => '';
    playback.attach(video);
    playback.load(URL_A);
    await flush();
    expect(FakeHls.instances).toHaveLength(0);
    expect(last()?.error?.code).toBe('ONAIR_HLS_UNAVAILABLE');
  });

  it('plays natively (video.src) where only the browser can play HLS', async () => {
    FakeHls.supported = false;
    const { playback, video } = setUp();
    video.canPlayType = (type) => (type === 'application/vnd.apple.mpegurl' ? 'maybe' : '');
    playback.attach(video);
    playback.load(URL_A);
    await flush();
    expect(FakeHls.instances).toHaveLength(0);
    expect(video.src).toBe(URL_A);
    expect(video.playCalls).toBe(1);
  });

  it('measures latency from the program date-time of the playhead', async () => {
    vi.setSystemTime(new Date('2030-01-01T00:00:10Z'));
    const { playback, video, last } = setUp();
    playback.attach(video);
    playback.load(URL_A);
    await flush();
    const hls = FakeHls.latest();
    hls.manifest(TWO_LEVELS);
    hls.currentLevel = 1;
    hls.playingDate = new Date('2030-01-01T00:00:07Z');
    await vi.advanceTimersByTimeAsync(500);
    expect(last()?.stats).toMatchObject({ latencyMs: 3_500, rung: 1, level: '360p', bitrateKbps: 950 });
  });
});
