import type { ChangeEvent, RefObject } from 'react';
import type { UseLiveStreamResult } from '../../hooks/use-live-stream';
import {
  ExitFullscreenIcon,
  FullscreenIcon,
  MutedIcon,
  PauseIcon,
  PictureInPictureIcon,
  PlayIcon,
  SettingsIcon,
  VolumeIcon,
} from './icons';
import { LiveBadge, NoSoundIndicator } from './live-badge';
import type { PictureInPicture } from './use-picture-in-picture';

export interface PlayerControlsProps {
  player: UseLiveStreamResult;
  settingsId: string;
  settingsOpen: boolean;
  onToggleSettings(): void;
  settingsButton: RefObject<HTMLButtonElement | null>;
  pictureInPicture: PictureInPicture;
  /** Pointer enter and leave: a pointer resting on the bar keeps it shown. */
  barHandlers: { onPointerEnter(): void; onPointerLeave(): void };
}

/**
 * The control bar: what a viewer reaches for (play, sound, LIVE, picture-in-picture, fullscreen), the rest behind
 * Settings. Each button's label says what pressing it does now, so it changes with the state. What does not fit
 * a narrow player goes by container query (styles.css): the volume slider, then picture-in-picture.
 */
export function PlayerControls({
  player,
  settingsId,
  settingsOpen,
  onToggleSettings,
  settingsButton,
  pictureInPicture,
  barHandlers,
}: PlayerControlsProps) {
  const { playing, muted, volume, fullscreen } = player;
  const onVolume = (event: ChangeEvent<HTMLInputElement>) =>
    player.setVolume(Number(event.target.value) / 100);
  const volumePercent = Math.round((muted ? 0 : volume) * 100);

  return (
    <div className="onair-player__controls" {...barHandlers}>
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
      <button
        type="button"
        ref={settingsButton}
        className="onair-button"
        data-control="settings"
        onClick={onToggleSettings}
        aria-label="Settings"
        aria-expanded={settingsOpen}
        aria-controls={settingsOpen ? settingsId : undefined}
      >
        <SettingsIcon />
      </button>
      {pictureInPicture.supported && (
        <button
          type="button"
          className="onair-button"
          data-control="pip"
          onClick={pictureInPicture.toggle}
          aria-label={pictureInPicture.active ? 'Exit picture-in-picture' : 'Picture-in-picture'}
        >
          <PictureInPictureIcon />
        </button>
      )}
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
