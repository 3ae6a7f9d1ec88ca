import type { ChangeEvent } from 'react';
import type { UseLiveStreamResult } from '../../hooks/use-live-stream';
import {
  ExitFullscreenIcon,
  FullscreenIcon,
  MutedIcon,
  PauseIcon,
  PlayIcon,
  StatsIcon,
  VolumeIcon,
} from './icons';
import { LiveBadge, NoSoundIndicator } from './live-badge';
import { qualityChoices } from './quality-choices';

export interface PlayerControlsProps {
  player: UseLiveStreamResult;
  statsId: string;
  statsOpen: boolean;
  onToggleStats(): void;
  showQualityMenu: boolean;
}

/** The control bar. Each button's label says what pressing it does now, so it changes with the state. */
export function PlayerControls({
  player,
  statsId,
  statsOpen,
  onToggleStats,
  showQualityMenu,
}: PlayerControlsProps) {
  const { playing, muted, volume, fullscreen } = player;
  const quality = qualityChoices(player);
  const onVolume = (event: ChangeEvent<HTMLInputElement>) =>
    player.setVolume(Number(event.target.value) / 100);
  const onQuality = (event: ChangeEvent<HTMLSelectElement>) => {
    const value = event.target.value;
    player.setQuality(value === 'auto' ? 'auto' : Number(value));
  };
  const volumePercent = Math.round((muted ? 0 : volume) * 100);

  return (
    <div className="onair-player__controls">
      <button
        type="button"
        className="onair-button"
        data-control="play"
        onClick={player.togglePlay}
        aria-label={playing ? 'Pause' : 'Play'}
      >
        {playing ? <PauseIcon /> : <PlayIcon />}
      </button>
      <button
        type="button"
        className="onair-button"
        data-control="mute"
        onClick={player.toggleMuted}
        aria-label={muted ? 'Unmute' : 'Mute'}
      >
        {muted ? <MutedIcon /> : <VolumeIcon />}
      </button>
      <input
        type="range"
        className="onair-player__volume"
        data-control="volume"
        aria-label="Volume"
        min={0}
        max={100}
        step={5}
        value={volumePercent}
        aria-valuetext={`${volumePercent}%`}
        onChange={onVolume}
      />
      <LiveBadge player={player} />
      <NoSoundIndicator player={player} />
      <span className="onair-player__spacer" />
      {showQualityMenu && quality.options.length > 0 && (
        <select
          className="onair-player__quality"
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
      )}
      <button
        type="button"
        className="onair-button"
        data-control="stats"
        onClick={onToggleStats}
        aria-label={statsOpen ? 'Hide statistics' : 'Show statistics'}
        aria-expanded={statsOpen}
        aria-controls={statsOpen ? statsId : undefined}
      >
        <StatsIcon />
      </button>
      <button
        type="button"
        className="onair-button"
        data-control="fullscreen"
        onClick={player.toggleFullscreen}
        aria-label={fullscreen ? 'Exit full screen' : 'Full screen'}
      >
        {fullscreen ? <ExitFullscreenIcon /> : <FullscreenIcon />}
      </button>
    </div>
  );
}
