import type { PageProbe } from './page-probe';

/** For the figures' tests: a probe that saw nothing yet, its page clock starting at `timeOrigin` (Unix ms). */
export function emptyProbe(timeOrigin: number): PageProbe {
  return {
    timeOrigin,
    frames: [],
    firstFrame: -1,
    canvasDraws: 0,
    samples: [],
    media: [],
    control: [],
    audioWorklet: false,
    audio: [],
    mediaEvents: [],
    qualityOptions: [],
    playlists: [],
  };
}
