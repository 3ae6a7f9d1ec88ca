import { type KeyboardEvent, type RefCallback, useCallback, useMemo, useRef } from 'react';
import type { LiveStreamClient } from '../client/live-stream-client';
import type { LiveStreamSnapshot } from '../client/state/snapshot';
import type { TransportMode } from '../client/state/transport-mode';
import { type PlayerRootAttributes, playerRootAttributes } from './internal/player-root-attributes';
import { handlePlayerShortcut } from './internal/player-shortcuts';
import { useFullscreen } from './internal/use-fullscreen';
import { useEnsureLiveStreamClient } from './live-stream-context';
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
  /** Moves the volume heard now (0 while muted) by `delta`, clamped to 0–1: what Up and Down do. */
  changeVolume(delta: number): void;
  /** A rung of the JPEG ladder over WebSocket, an index in `hlsLevels` over HLS; 'auto' either way. */
  setQuality(rung: number | 'auto'): void;
  /** Switches between WebSocket, HLS and auto (starts over while connected). */
  setTransportMode(mode: TransportMode): void;
  /** Back to the live edge (the LIVE badge's click when it says "−3 s"). */
  jumpToLive(): void;
  /** Starts audio the browser's autoplay policy held back; call from a click or key press. */
  enableAudio(): Promise<void>;
  /** New connection, same video: for a "try again" button after an error. */
  reconnect(): void;
  requestFullscreen(): void;
  exitFullscreen(): void;
  toggleFullscreen(): void;
}

/**
 * Spread on the player's root element: the state attributes (`data-state`, `data-paused`, … as the README's "Data
 * attributes" table lists them), keyboard shortcuts, and the fullscreen target.
 */
export interface LiveStreamRootProps extends PlayerRootAttributes {
  ref: RefCallback<HTMLElement>;
  onKeyDown: (event: KeyboardEvent<HTMLElement>) => void;
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
  /**
   * How far behind the live edge the picture is, ms (WebSocket: the channel clock now minus the frame shown; HLS:
   * hls.js's latency to the live edge); null before anything plays. Also `stats.liveDistanceMs`.
   */
  liveDistanceMs: number | null;
  /** Within the live threshold (`liveThresholdMs`) of the live edge, or nothing plays yet. */
  atLiveEdge: boolean;
  fullscreen: boolean;
  rootProps: LiveStreamRootProps;
  canvasProps: LiveStreamCanvasProps;
  videoProps: LiveStreamVideoProps;
}

/** State and actions of the player, plus ready-to-spread props for its root, its canvas and its `<video>`. */
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
      changeVolume: (delta: number) => {
        const { muted, volume } = resolved.getSnapshot();
        resolved.setVolume(Math.round(((muted ? 0 : volume) + delta) * 100) / 100);
      },
      setQuality: (rung: number | 'auto') => resolved.setQuality(rung),
      setTransportMode: (mode: TransportMode) => resolved.setTransportMode(mode),
      enableAudio: () => resolved.enableAudio(),
      jumpToLive: () => resolved.jumpToLive(),
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
        changeVolume: actions.changeVolume,
      }),
    [actions, toggleFullscreen],
  );

  // A reconnect clears `stream`; dropping the canvas's width and height then would reset it to a blank 300×150,
  // so the last frame's size stays and the last frame with it (issue 12: the picture went black).
  const { stream } = snapshot;
  const canvasSize = useRef<{ width: number | undefined; height: number | undefined }>({
    width: undefined,
    height: undefined,
  });
  if (stream?.width && stream.height) canvasSize.current = { width: stream.width, height: stream.height };
  return {
    ...snapshot,
    ...actions,
    requestFullscreen,
    exitFullscreen,
    toggleFullscreen,
    snapshot,
    liveDistanceMs: snapshot.stats.liveDistanceMs,
    atLiveEdge: snapshot.stats.atLiveEdge,
    fullscreen,
    rootProps: { ref: setRoot, onKeyDown, ...playerRootAttributes({ snapshot, fullscreen }) },
    canvasProps: { ref: setCanvas, ...canvasSize.current },
    videoProps: { ref: setVideo, playsInline: true },
  };
}
