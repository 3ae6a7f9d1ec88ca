import {
  type HTMLAttributes,
  type KeyboardEvent,
  type ReactNode,
  useEffect,
  useId,
  useRef,
  useState,
} from 'react';
import type { LiveStreamClient } from '../../client/live-stream-client';
import type { TransportMode } from '../../client/state/transport-mode';
import { useIsomorphicLayoutEffect } from '../../hooks/internal/use-isomorphic-layout-effect';
import { useLiveStream } from '../../hooks/use-live-stream';
import { VISUALLY_HIDDEN } from '../visually-hidden';
import { PlayerControls } from './player-controls';
import { PlayerOverlay } from './player-overlay';
import { StatsReadout } from './stats-readout';
import { announcement } from './status-text';

export interface LiveStreamPlayerProps extends Omit<HTMLAttributes<HTMLElement>, 'children'> {
  /** Default: the client of the nearest `<LiveStreamProvider>`. */
  client?: LiveStreamClient;
  /** Accessible name of the player region. Default "Live video". */
  label?: string;
  /** Open the statistics readout at first. Default false. */
  defaultShowStats?: boolean;
  /** Offer a quality menu (Auto plus each rung). Default true. */
  showQualityMenu?: boolean;
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
 * player has focus): space or k play/pause, m mute, f fullscreen. State shows on the root for CSS as
 * `data-state`, `data-paused`, `data-muted`, `data-fullscreen`, `data-audio-blocked`, `data-transport`,
 * `data-hls-level`, `data-live-edge`, `data-audio` and `data-off-air` (the README's "Data attributes" table says what each means).
 */
export function LiveStreamPlayer({
  client,
  label = 'Live video',
  defaultShowStats = false,
  showQualityMenu = true,
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
  const statsId = useId();
  const title = player.catalog?.find((video) => video.id === player.videoId)?.title;
  const { ref, onKeyDown: onShortcut, ...stateAttributes } = player.rootProps;
  const handleKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    onKeyDown?.(event);
    onShortcut(event);
  };

  return (
    <section
      aria-label={label}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: the player takes focus so its keyboard shortcuts work
      tabIndex={0}
      {...rest}
      {...stateAttributes}
      ref={ref}
      onKeyDown={handleKeyDown}
      className={className ? `onair-player ${className}` : 'onair-player'}
    >
      {player.transport === 'hls' ? (
        <video
          {...player.videoProps}
          className="onair-player__video"
          aria-label={title ? `Live video: ${title}` : 'Live video'}
        />
      ) : (
        <canvas
          {...player.canvasProps}
          className="onair-player__canvas"
          role="img"
          aria-label={title ? `Live video: ${title}` : 'Live video'}
        />
      )}
      {children}
      <PlayerOverlay player={player} />
      <PlayerControls
        player={player}
        statsId={statsId}
        statsOpen={statsOpen}
        onToggleStats={() => setStatsOpen((open) => !open)}
        showQualityMenu={showQualityMenu}
      />
      {statsOpen && <StatsReadout id={statsId} stats={player.stats} rungLabel={player.rungLabel} />}
      <div role="status" aria-live="polite" aria-atomic="true" style={VISUALLY_HIDDEN}>
        {announcement(player)}
      </div>
    </section>
  );
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
