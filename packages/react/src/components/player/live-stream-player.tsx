import {
  type HTMLAttributes,
  type KeyboardEvent,
  type ReactNode,
  useCallback,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
} from 'react';
import type { LiveStreamClient } from '../../client/live-stream-client';
import type { TransportMode } from '../../client/state/transport-mode';
import { handlePlayerShortcut } from '../../hooks/internal/player-shortcuts';
import { useIsomorphicLayoutEffect } from '../../hooks/internal/use-isomorphic-layout-effect';
import { useLiveStream } from '../../hooks/use-live-stream';
import { VISUALLY_HIDDEN } from '../visually-hidden';
import { PlayerControls } from './player-controls';
import { PlayerOverlay } from './player-overlay';
import { SettingsPanel } from './settings-panel';
import { StatsReadout } from './stats-readout';
import { announcement } from './status-text';
import { CONTROLS_HIDE_DELAY_MS, useControlsVisibility } from './use-controls-visibility';
import { usePictureGestures } from './use-picture-gestures';
import { usePictureInPicture } from './use-picture-in-picture';

export interface LiveStreamPlayerProps extends Omit<HTMLAttributes<HTMLElement>, 'children'> {
  /** Default: the client of the nearest `<LiveStreamProvider>`. */
  client?: LiveStreamClient;
  /** Accessible name of the player region. Default "Live video". */
  label?: string;
  /** Open the statistics readout at first. Default false. */
  defaultShowStats?: boolean;
  /** Offer a quality menu (Auto plus each rung) in Settings. Default true. */
  showQualityMenu?: boolean;
  /** Offer WebSocket / HLS / Auto in Settings when the video has an HLS rendition. Default true. */
  showTransportMenu?: boolean;
  /**
   * How long the controls stay after the last pointer movement while the picture plays, ms. Default 3000. The
   * root says `data-controls="visible"` or `"hidden"`, and `data-pip` while in picture-in-picture.
   */
  controlsHideDelayMs?: number;
  /**
   * `ws` (JPEG over the WebSocket), `hls` (hls.js, or native HLS where only that exists) or `auto` (WebSocket,
   * falling back to HLS when it cannot connect). Sets the client's mode; unset leaves the provider's
   * `transportMode` (default `ws`).
   */
  transportMode?: TransportMode;
  /**
   * @deprecated Renamed `transportMode` (the provider's `transport` is the connection itself); it still works,
   * with a console warning, and goes in the next release.
   */
  transport?: TransportMode;
  /** Drawn over the picture, under the controls: e.g. `<ReactionsOverlay />`. */
  children?: ReactNode;
}

/**
 * The live player: a canvas (WebSocket) or a `<video>` (HLS), controls, overlays and a live region. Keys (when the
 * player has focus): space or k play/pause, m mute, f fullscreen, i picture-in-picture, Up/Down volume. A click on
 * the picture pauses, a double-click is fullscreen; the controls hide while the picture plays. State shows on the root for CSS as
 * `data-state`, `data-paused`, `data-muted`, `data-fullscreen`, `data-audio-blocked`, `data-transport`,
 * `data-hls-level`, `data-live-edge`, `data-audio` and `data-off-air` (the README's "Data attributes" table says what each means).
 */
export function LiveStreamPlayer({
  client,
  label = 'Live video',
  defaultShowStats = false,
  showQualityMenu = true,
  showTransportMenu = true,
  controlsHideDelayMs = CONTROLS_HIDE_DELAY_MS,
  transportMode,
  transport,
  className,
  onKeyDown,
  children,
  ...rest
}: LiveStreamPlayerProps) {
  const player = useLiveStream(client);
  const { setTransportMode } = player;
  const mode = transportMode ?? transport;
  // A layout effect runs before the provider's (children first), so the first connection already uses the mode.
  useIsomorphicLayoutEffect(() => {
    if (mode) setTransportMode(mode);
  }, [setTransportMode, mode]);
  useDeprecatedTransportWarning(transport);
  const [statsOpen, setStatsOpen] = useState(defaultShowStats);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const statsId = useId();
  const settingsId = useId();
  const settingsButton = useRef<HTMLButtonElement>(null);
  const closeSettings = useCallback(() => setSettingsOpen(false), []);
  const title = player.catalog?.find((video) => video.id === player.videoId)?.title;
  const hls = player.transport === 'hls';

  const pictureTargets = useMemo(
    () => ({
      canvas: { current: null as HTMLCanvasElement | null },
      sourceVideo: { current: null as HTMLVideoElement | null },
      video: { current: null as HTMLVideoElement | null },
    }),
    [],
  );
  const pictureInPicture = usePictureInPicture(hls, pictureTargets);
  const { ref: canvasRef, ...canvasAttributes } = player.canvasProps;
  const { ref: videoRef, ...videoAttributes } = player.videoProps;
  const setCanvas = useCallback(
    (canvas: HTMLCanvasElement | null) => {
      pictureTargets.canvas.current = canvas;
      canvasRef(canvas);
    },
    [canvasRef, pictureTargets],
  );
  const setVideo = useCallback(
    (video: HTMLVideoElement | null) => {
      pictureTargets.video.current = video;
      videoRef(video);
    },
    [videoRef, pictureTargets],
  );
  const setSourceVideo = useCallback(
    (video: HTMLVideoElement | null) => {
      pictureTargets.sourceVideo.current = video;
    },
    [pictureTargets],
  );

  const controls = useControlsVisibility({
    playing: player.playing && player.status === 'live',
    held: settingsOpen,
    hideAfterMs: controlsHideDelayMs,
  });
  const gestures = usePictureGestures({
    togglePlay: player.togglePlay,
    toggleFullscreen: player.toggleFullscreen,
    controlsVisible: () => controls.visible,
    revealControls: controls.reveal,
  });

  const { ref, onKeyDown: _hookShortcuts, ...stateAttributes } = player.rootProps;
  const handleKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    onKeyDown?.(event);
    handlePlayerShortcut(event, {
      togglePlay: player.togglePlay,
      toggleMuted: player.toggleMuted,
      toggleFullscreen: player.toggleFullscreen,
      changeVolume: player.changeVolume,
      togglePictureInPicture: pictureInPicture.supported ? pictureInPicture.toggle : undefined,
    });
  };
  const pictureLabel = title ? `Live video: ${title}` : 'Live video';

  return (
    <section
      aria-label={label}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: the player takes focus so its keyboard shortcuts work
      tabIndex={0}
      {...rest}
      {...stateAttributes}
      data-controls={controls.visible ? 'visible' : 'hidden'}
      data-pip={pictureInPicture.active ? '' : undefined}
      ref={ref}
      {...chainHandlers(rest, controls.rootHandlers)}
      onKeyDown={handleKeyDown}
      className={className ? `onair-player ${className}` : 'onair-player'}
    >
      {hls ? (
        <video
          {...videoAttributes}
          ref={setVideo}
          {...gestures}
          className="onair-player__video"
          aria-label={pictureLabel}
        />
      ) : (
        <canvas
          {...canvasAttributes}
          ref={setCanvas}
          {...gestures}
          className="onair-player__canvas"
          role="img"
          aria-label={pictureLabel}
        />
      )}
      {!hls && pictureInPicture.supported && (
        <video
          ref={setSourceVideo}
          className="onair-player__pip-source"
          muted
          playsInline
          aria-hidden="true"
          tabIndex={-1}
        />
      )}
      {children}
      <PlayerOverlay player={player} />
      <PlayerControls
        player={player}
        settingsId={settingsId}
        settingsOpen={settingsOpen}
        onToggleSettings={() => setSettingsOpen((open) => !open)}
        settingsButton={settingsButton}
        pictureInPicture={pictureInPicture}
        barHandlers={controls.barHandlers}
      />
      {settingsOpen && (
        <SettingsPanel
          id={settingsId}
          player={player}
          showQualityMenu={showQualityMenu}
          showTransportMenu={showTransportMenu}
          statsId={statsId}
          statsOpen={statsOpen}
          onToggleStats={() => setStatsOpen((open) => !open)}
          trigger={settingsButton}
          onClose={closeSettings}
          pictureInPicture={pictureInPicture}
        />
      )}
      {statsOpen && <StatsReadout id={statsId} stats={player.stats} rungLabel={player.rungLabel} />}
      <div role="status" aria-live="polite" aria-atomic="true" style={VISUALLY_HIDDEN}>
        {announcement(player)}
      </div>
    </section>
  );
}

/** The player's own handlers, each after the host's of the same name (a host's `onPointerMove` still runs). */
function chainHandlers<Handlers extends object>(host: object, own: Handlers): Handlers {
  const chained: Record<string, unknown> = {};
  for (const [name, handler] of Object.entries(own)) {
    const hostHandler = (host as Record<string, unknown>)[name];
    chained[name] =
      typeof hostHandler === 'function'
        ? (event: unknown) => {
            hostHandler(event);
            (handler as (event: unknown) => void)(event);
          }
        : handler;
  }
  return chained as Handlers;
}

/** Warns once per mounted player that still uses the old `transport` prop. */
function useDeprecatedTransportWarning(transport: TransportMode | undefined): void {
  const warned = useRef(false);
  useEffect(() => {
    if (transport === undefined || warned.current) return;
    warned.current = true;
    console.warn(
      'OnAir: <LiveStreamPlayer transport> is deprecated and will be removed; use transportMode (same values).',
    );
  }, [transport]);
}
