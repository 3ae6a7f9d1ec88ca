import { type ChangeEvent, type KeyboardEvent, type RefObject, useEffect, useRef } from 'react';
import type { TransportMode } from '../../client/state/transport-mode';
import type { UseLiveStreamResult } from '../../hooks/use-live-stream';
import { qualityChoices } from './quality-choices';
import type { PictureInPicture } from './use-picture-in-picture';

const TRANSPORT_LABELS: Record<TransportMode, string> = { ws: 'WebSocket', hls: 'HLS', auto: 'Auto' };

export interface SettingsPanelProps {
  id: string;
  player: UseLiveStreamResult;
  showQualityMenu: boolean;
  showTransportMenu: boolean;
  statsId: string;
  statsOpen: boolean;
  onToggleStats(): void;
  /** The Settings button: focus goes back to it on Escape, and a press on it is not "outside". */
  trigger: RefObject<HTMLButtonElement | null>;
  onClose(): void;
  /** Also offered here, shown only where the bar has no room for its button (styles.css). */
  pictureInPicture: PictureInPicture;
}

/**
 * What the control bar keeps out of the way at every width (issue 12: at 390 px they were off the edge): the
 * quality, the transport (where the video has an HLS rendition) and the statistics. A panel of labelled controls
 * rather than an ARIA menu, so each keeps its own keys (a select's arrows). Escape and a press outside close it.
 */
export function SettingsPanel({
  id,
  player,
  showQualityMenu,
  showTransportMenu,
  statsId,
  statsOpen,
  onToggleStats,
  trigger,
  onClose,
  pictureInPicture,
}: SettingsPanelProps) {
  const panel = useRef<HTMLFieldSetElement>(null);
  const quality = qualityChoices(player);
  const video = player.catalog?.find((item) => item.id === player.videoId);
  const offerTransport = showTransportMenu && !!video?.hlsUrl;

  useEffect(() => {
    const onPointerDown = (event: PointerEvent) => {
      const target = event.target as Node;
      if (panel.current?.contains(target) || trigger.current?.contains(target)) return;
      onClose();
    };
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [onClose, trigger]);

  const onKeyDown = (event: KeyboardEvent<HTMLFieldSetElement>) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    event.stopPropagation();
    onClose();
    trigger.current?.focus();
  };
  const onQuality = (event: ChangeEvent<HTMLSelectElement>) => {
    const value = event.target.value;
    player.setQuality(value === 'auto' ? 'auto' : Number(value));
  };
  const onTransport = (event: ChangeEvent<HTMLSelectElement>) =>
    player.setTransportMode(event.target.value as TransportMode);

  return (
    <fieldset
      id={id}
      ref={panel}
      aria-label="Settings"
      className="onair-player__settings"
      onKeyDown={onKeyDown}
    >
      {showQualityMenu && quality.options.length > 0 && (
        <label className="onair-player__setting">
          <span>Quality</span>
          <select
            className="onair-player__select onair-player__quality"
            data-control="quality"
            aria-label="Quality"
            value={quality.value}
            onChange={onQuality}
          >
            <option value="auto">{quality.autoLabel}</option>
            {quality.options.map(({ value, label }) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
      )}
      {offerTransport && (
        <label className="onair-player__setting">
          <span>Transport</span>
          <select
            className="onair-player__select"
            data-control="transport"
            aria-label="Transport"
            value={player.transportMode}
            onChange={onTransport}
          >
            {(Object.keys(TRANSPORT_LABELS) as TransportMode[]).map((mode) => (
              <option key={mode} value={mode}>
                {TRANSPORT_LABELS[mode]}
              </option>
            ))}
          </select>
        </label>
      )}
      <button
        type="button"
        className="onair-button onair-player__setting-button"
        data-control="stats"
        onClick={onToggleStats}
        aria-expanded={statsOpen}
        aria-controls={statsOpen ? statsId : undefined}
      >
        {statsOpen ? 'Hide statistics' : 'Show statistics'}
      </button>
      {pictureInPicture.supported && (
        <button
          type="button"
          className="onair-button onair-player__setting-button onair-player__setting-button--pip"
          data-control="pip-setting"
          onClick={pictureInPicture.toggle}
        >
          {pictureInPicture.active ? 'Exit picture-in-picture' : 'Picture-in-picture'}
        </button>
      )}
    </fieldset>
  );
}
