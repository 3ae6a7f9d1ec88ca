import { type KeyboardEvent, type RefCallback, useCallback, useMemo, useRef } from 'react';
import type { LiveStreamClient } from '../client/live-stream-client';
import type { LiveStreamSnapshot, LiveStreamStatus } from '../client/state/snapshot';
import type { TransportMode } from '../client/state/transport-mode';
import { useEnsureLiveStreamClient } from './live-stream-context';
import { handlePlayerShortcut } from './player-shortcuts';
import { useFullscreen } from './use-fullscreen';
import { useLiveStreamSnapshot } from './use-live-stream-snapshot';

export interface LiveStreamActions {
  select(videoId: string): void;
  play(): void;
  pause(): void;
  togglePlay(): void;
  setMuted(muted: boolean): void;
  toggleMuted(): void;
  /** 0 to 1. */
  setVolume(volume: number): void;
  /** A rung of the JPEG ladder over WebSocket, an index in `hlsLevels` over HLS; 'auto' either way. */
  setQuality(rung: number | 'auto'): void;
  /** Switches between WebSocket, HLS and auto (starts over while connected). */
  setTransportMode(mode: TransportMode): void;
  /** Starts audio the browser's autoplay policy held back; call from a click or key press. */
  enableAudio(): Promise<void>;
  /** New connection, same video: for a "try again" button after an error. */
  reconnect(): void;
  requestFullscreen(): void;
  exitFullscreen(): void;
  toggleFullscreen(): void;
}

/** Spread on the player's root element: state attributes, keyboard shortcuts, the fullscreen target. */
export interface LiveStreamRootProps {
  ref: RefCallback<HTMLElement>;
  onKeyDown: (event: KeyboardEvent<HTMLElement>) => void;
  'data-state': LiveStreamStatus;
  'data-paused': '' | undefined;
  'data-muted': '' | undefined;
  'data-fullscreen': '' | undefined;
  'data-audio-blocked': '' | undefined;
  'data-transport': string;
  /** Over HLS: the index of the level playing (hls.js `currentLevel`). */
  'data-hls-level': number | undefined;
}

/** Spread on the `<canvas>` frames are drawn on. */
export interface LiveStreamCanvasProps {
  ref: RefCallback<HTMLCanvasElement>;
  width: number | undefined;
  height: number | undefined;
}

/** Spread on the `<video>` HLS plays into. */
export interface LiveStreamVideoProps {
  ref: RefCallback<HTMLVideoElement>;
  playsInline: true;
}

export interface UseLiveStreamResult extends LiveStreamSnapshot, LiveStreamActions {
  snapshot: LiveStreamSnapshot;
  fullscreen: boolean;
  rootProps: LiveStreamRootProps;
  canvasProps: LiveStreamCanvasProps;
  videoProps: LiveStreamVideoProps;
}

/** Present-or-absent data attributes, so CSS can select `[data-paused]`. */
function flag(on: boolean): '' | undefined {
  return on ? '' : undefined;
}

/** State and actions of the player, plus ready-to-spread props for its root and canvas. */
export function useLiveStream(client?: LiveStreamClient): UseLiveStreamResult {
  const resolved = useEnsureLiveStreamClient(client);
  const snapshot = useLiveStreamSnapshot(resolved);
  const rootRef = useRef<HTMLElement | null>(null);
  const { fullscreen, requestFullscreen, exitFullscreen, toggleFullscreen } = useFullscreen(rootRef);

  const actions = useMemo(
    () => ({
      select: (videoId: string) => resolved.select(videoId),
      play: () => resolved.play(),
      pause: () => resolved.pause(),
      togglePlay: () => resolved.togglePlay(),
      setMuted: (muted: boolean) => resolved.setMuted(muted),
      toggleMuted: () => resolved.toggleMuted(),
      setVolume: (volume: number) => resolved.setVolume(volume),
      setQuality: (rung: number | 'auto') => resolved.setQuality(rung),
      setTransportMode: (mode: TransportMode) => resolved.setTransportMode(mode),
      enableAudio: () => resolved.enableAudio(),
      reconnect: () => resolved.reconnect(),
    }),
    [resolved],
  );

  const setRoot = useCallback((element: HTMLElement | null) => {
    rootRef.current = element;
  }, []);
  const setCanvas = useCallback(
    (canvas: HTMLCanvasElement | null) => resolved.attachCanvas(canvas),
    [resolved],
  );
  const setVideo = useCallback((video: HTMLVideoElement | null) => resolved.attachVideo(video), [resolved]);
  const onKeyDown = useCallback(
    (event: KeyboardEvent<HTMLElement>) =>
      handlePlayerShortcut(event, {
        togglePlay: actions.togglePlay,
        toggleMuted: actions.toggleMuted,
        toggleFullscreen,
      }),
    [actions, toggleFullscreen],
  );

  const { status, playing, muted, audioBlocked, transport, stream, stats } = snapshot;
  return {
    ...snapshot,
    ...actions,
    requestFullscreen,
    exitFullscreen,
    toggleFullscreen,
    snapshot,
    fullscreen,
    rootProps: {
      ref: setRoot,
      onKeyDown,
      'data-state': status,
      'data-paused': flag(!playing),
      'data-muted': flag(muted),
      'data-fullscreen': flag(fullscreen),
      'data-audio-blocked': flag(audioBlocked),
      'data-transport': transport,
      'data-hls-level': transport === 'hls' && stats.rung !== null ? stats.rung : undefined,
    },
    canvasProps: { ref: setCanvas, width: stream?.width || undefined, height: stream?.height || undefined },
    videoProps: { ref: setVideo, playsInline: true },
  };
}
