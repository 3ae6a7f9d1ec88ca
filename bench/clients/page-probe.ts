import type { Page } from 'playwright-core';

/** A picture change the page saw: on the canvas (pixel hash changed) or the `<video>` (a frame presented). */
export interface ProbeFrame {
  /** Page clock (ms from navigation start). */
  t: number;
  /** Frames this event stands for: 1 on the canvas; on the video, `presentedFrames` since the last callback. */
  frames: number;
}

/** A reading of the player every `SAMPLE_EVERY_MS`: its root's `data-state` and the stats readout's cells. */
export interface ProbeSample {
  t: number;
  state: string | null;
  /** Cell texts of the stats readout, by `data-stat` (`latency`: "812 ms" or "–"). */
  stats: Record<string, string>;
}

/** A WebSocket media message as it arrived (its 24-byte header). */
export interface ProbeMedia {
  t: number;
  kind: 'video' | 'audio';
  /** Channel-clock timestamp (Unix ms with the default epoch). */
  timestamp: number;
  sequence: number;
  /** Video: the rung. Audio: the channel count. */
  rung: number;
  bytes: number;
}

/** The AudioWorklet's head started or stopped playing (its `clock` reports turning non-null / null). */
export interface ProbeAudioTransition {
  t: number;
  /** AudioContext time of the transition, seconds. */
  contextTime: number;
  playing: boolean;
}

export interface ProbeMediaEvent {
  t: number;
  type: 'waiting' | 'playing' | 'resize';
  width?: number;
  height?: number;
}

export interface PageProbe {
  /** `performance.timeOrigin`: Unix ms of the page clock's zero (navigation start). */
  timeOrigin: number;
  frames: ProbeFrame[];
  /** Page clock of the first picture: the first non-blank canvas hash, or the first video frame presented. */
  firstFrame: number;
  /** Canvas draws (`drawImage` onto the player's canvas), beside the hash changes as a check. */
  canvasDraws: number;
  samples: ProbeSample[];
  media: ProbeMedia[];
  /** Control messages that say what the server chose: `welcome`, `stream`, `quality-changed` (with arrival t). */
  control: ({ t: number; type: string } & Record<string, unknown>)[];
  /** Whether the player's PCM worklet was ever made: false means the audio path is one this probe cannot see. */
  audioWorklet: boolean;
  audio: ProbeAudioTransition[];
  mediaEvents: ProbeMediaEvent[];
  /** Options of the quality menu at the time of reading (Auto excluded). */
  qualityOptions: string[];
  /**
   * Each HLS media playlist as it arrived: how far the end of its newest segment (its PROGRAM-DATE-TIME plus
   * duration) was behind the wall clock, ms. Includes the playlist's trip over the link.
   */
  playlists: { t: number; behindMs: number }[];
}

/** How long after its capture a media message reached the page, ms: server and page read the same machine clock. */
export function arrivalDelayMs(probe: PageProbe, media: ProbeMedia): number {
  return probe.timeOrigin + media.t - media.timestamp;
}

export const SAMPLE_EVERY_MS = 250;

/**
 * Runs in the page before its scripts (a string, not a function: tsx would wrap inner functions in a `__name`
 * helper the page does not have). It watches the player from outside, without touching its code:
 * - every animation frame, a hash of the bottom-centre of the player's canvas (where the demo samples burn in
 *   their clock, which changes every frame), downscaled onto a small canvas: a new hash is a new picture;
 * - `requestVideoFrameCallback` on the HLS `<video>` (with `presentedFrames`, so skipped callbacks still count);
 * - every WebSocket message: the JSON control messages that name rungs, and each binary media header;
 * - the HLS media playlists hls.js fetches (XHR, its default loader): how far behind the clock the newest
 *   segment is;
 * - the player's AudioWorklet port: its `clock` reports go null when the ring buffer runs dry (silence) and
 *   non-null when it plays again;
 * - every `SAMPLE_EVERY_MS`, the root's `data-state` and the stats readout.
 */
export const PAGE_PROBE_SCRIPT = `
(() => {
  const probe = {
    timeOrigin: performance.timeOrigin, frames: [], firstFrame: -1, canvasDraws: 0, samples: [], media: [],
    control: [], audioWorklet: false, audio: [], mediaEvents: [], qualityOptions: [], playlists: [],
  };
  window.__onairProbe = probe;

  const NativeWebSocket = window.WebSocket;
  const magic = (view) => String.fromCharCode(view.getUint8(0), view.getUint8(1), view.getUint8(2), view.getUint8(3));
  window.WebSocket = class extends NativeWebSocket {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => {
        const t = performance.now();
        if (typeof event.data === 'string') {
          let message;
          try { message = JSON.parse(event.data); } catch { return; }
          if (message.type === 'quality-changed') probe.control.push({ t, ...message });
          else if (message.type === 'welcome') probe.control.push({ t, type: 'welcome', ladder: message.ladder });
          else if (message.type === 'stream') {
            const { type, videoId, width, height, fps, rungs } = message;
            probe.control.push({ t, type, videoId, width, height, fps, rungs });
          }
          return;
        }
        if (!(event.data instanceof ArrayBuffer) || event.data.byteLength < 24) return;
        const view = new DataView(event.data);
        const kind = magic(view) === 'OAVF' ? 'video' : magic(view) === 'OAAU' ? 'audio' : null;
        if (!kind) return;
        probe.media.push({
          t, kind, rung: view.getUint8(6), timestamp: view.getFloat64(8), sequence: view.getUint32(16),
          bytes: event.data.byteLength,
        });
      });
    }
  };

  const readPlaylist = (text) => {
    if (typeof text !== 'string' || !text.includes('#EXTINF')) return;
    const dates = [...text.matchAll(/#EXT-X-PROGRAM-DATE-TIME:(\\S+)\\s+#EXTINF:([\\d.]+)/g)];
    const newest = dates[dates.length - 1];
    if (!newest) return;
    const end = Date.parse(newest[1]) + Number(newest[2]) * 1000;
    const t = performance.now();
    probe.playlists.push({ t, behindMs: probe.timeOrigin + t - end });
  };
  const open = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    if (String(url).includes('.m3u8')) {
      this.addEventListener('load', () => {
        if (this.responseType === '' || this.responseType === 'text') readPlaylist(this.responseText);
      });
    }
    return open.call(this, method, url, ...rest);
  };

  const NativeWorkletNode = window.AudioWorkletNode;
  if (NativeWorkletNode) {
    window.AudioWorkletNode = class extends NativeWorkletNode {
      constructor(context, name, options) {
        super(context, name, options);
        if (name !== 'onair-pcm-player') return;
        probe.audioWorklet = true;
        let playing = false;
        this.port.addEventListener('message', (event) => {
          const report = event.data;
          if (!report || report.type !== 'clock') return;
          const now = report.timestamp !== null;
          if (now === playing) return;
          playing = now;
          probe.audio.push({ t: performance.now(), contextTime: report.contextTime, playing });
        });
      }
    };
  }

  const drawImage = CanvasRenderingContext2D.prototype.drawImage;
  CanvasRenderingContext2D.prototype.drawImage = function (...args) {
    if (this.canvas && this.canvas.closest && this.canvas.closest('.onair-player')) probe.canvasDraws++;
    return drawImage.apply(this, args);
  };

  const small = document.createElement('canvas');
  small.width = 128;
  small.height = 32;
  const smallContext = small.getContext('2d', { willReadFrequently: true });
  let lastHash = null;
  const hashCanvas = (canvas) => {
    const w = canvas.width, h = canvas.height;
    if (!w || !h) return null;
    smallContext.drawImage(canvas, w * 0.2, h * 0.75, w * 0.6, h * 0.25, 0, 0, small.width, small.height);
    const pixels = smallContext.getImageData(0, 0, small.width, small.height).data;
    let hash = 2166136261, any = 0;
    for (let i = 0; i < pixels.length; i += 4) {
      any |= pixels[i] | pixels[i + 1] | pixels[i + 2];
      hash = Math.imul(hash ^ pixels[i] ^ (pixels[i + 1] << 8) ^ (pixels[i + 2] << 16), 16777619);
    }
    return any ? hash >>> 0 : null;
  };
  const onAnimationFrame = (now) => {
    const canvas = document.querySelector('.onair-player canvas');
    if (canvas) {
      const hash = hashCanvas(canvas);
      if (hash !== null && hash !== lastHash) {
        lastHash = hash;
        probe.frames.push({ t: now, frames: 1 });
        if (probe.firstFrame < 0) probe.firstFrame = now;
      }
    }
    requestAnimationFrame(onAnimationFrame);
  };
  requestAnimationFrame(onAnimationFrame);

  const watched = new WeakSet();
  const watchVideo = (video) => {
    if (watched.has(video) || !video.requestVideoFrameCallback) return;
    watched.add(video);
    let presented = null;
    const onVideoFrame = (now, metadata) => {
      const frames = presented === null ? 1 : Math.max(0, metadata.presentedFrames - presented);
      presented = metadata.presentedFrames;
      if (frames > 0) {
        probe.frames.push({ t: now, frames });
        if (probe.firstFrame < 0) probe.firstFrame = metadata.presentationTime;
      }
      video.requestVideoFrameCallback(onVideoFrame);
    };
    video.requestVideoFrameCallback(onVideoFrame);
  };
  // Media events do not bubble: listen in the capture phase, where every element's events pass.
  for (const type of ['loadstart', 'loadeddata', 'waiting', 'playing', 'resize']) {
    document.addEventListener(type, (event) => {
      const video = event.target;
      if (!(video instanceof HTMLVideoElement)) return;
      watchVideo(video);
      if (type === 'waiting' || type === 'playing') probe.mediaEvents.push({ t: performance.now(), type });
      if (type === 'resize') {
        probe.mediaEvents.push({ t: performance.now(), type, width: video.videoWidth, height: video.videoHeight });
      }
    }, true);
  }

  setInterval(() => {
    const root = document.querySelector('.onair-player');
    const stats = {};
    for (const cell of document.querySelectorAll('.onair-player [data-stat]')) {
      stats[cell.getAttribute('data-stat')] = cell.querySelector('dd')?.textContent ?? '';
    }
    probe.samples.push({ t: performance.now(), state: root ? root.getAttribute('data-state') : null, stats });
    const options = document.querySelectorAll('.onair-player select[data-control="quality"] option');
    probe.qualityOptions = Array.from(options, (option) => option.textContent).filter((text) => text !== 'Auto');
  }, ${SAMPLE_EVERY_MS});
})();
`;

export const readProbe = (page: Page): Promise<PageProbe> =>
  page.evaluate(() => (window as unknown as { __onairProbe: PageProbe }).__onairProbe);
