import type { KeyboardEvent } from 'react';

export interface PlayerShortcutActions {
  togglePlay(): void;
  toggleMuted(): void;
  toggleFullscreen(): void;
  /** Up and Down: by `VOLUME_STEP`, from the volume heard now (0 while muted). */
  changeVolume(delta: number): void;
  /** I: picture-in-picture; absent where the player offers none. */
  togglePictureInPicture?(): void;
}

/** How far one press of Up or Down moves the volume (YouTube's step is 5 %; 10 % needs half the presses). */
export const VOLUME_STEP = 0.1;

/**
 * The player's keys, as in the YouTube player: space or k play/pause, m mute, f fullscreen, i picture-in-picture,
 * Up/Down volume. Left and Right are left alone: a live stream has nothing to seek, and the volume slider and the
 * settings menus use them. Keys typed into a text field or a menu stay theirs, and space on a button or slider is
 * left to that control (it would otherwise act twice: once as the button's click and once as the shortcut), as
 * are the arrows on the slider.
 */
export function handlePlayerShortcut(
  event: KeyboardEvent<HTMLElement>,
  actions: PlayerShortcutActions,
): void {
  if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
  const target = event.target as HTMLElement;
  const tag = target.tagName;
  const isTextEntry = tag === 'TEXTAREA' || tag === 'SELECT' || target.isContentEditable;
  const isRange = tag === 'INPUT' && (target as HTMLInputElement).type === 'range';
  const isTextInput = tag === 'INPUT' && !isRange;
  if (isTextEntry || isTextInput) return;
  const key = event.key.toLowerCase();
  if (key === ' ' && (tag === 'BUTTON' || tag === 'INPUT')) return;
  if ((key === 'arrowup' || key === 'arrowdown') && isRange) return;
  if (key === ' ' || key === 'k') actions.togglePlay();
  else if (key === 'm') actions.toggleMuted();
  else if (key === 'f') actions.toggleFullscreen();
  else if (key === 'arrowup') actions.changeVolume(VOLUME_STEP);
  else if (key === 'arrowdown') actions.changeVolume(-VOLUME_STEP);
  else if (key === 'i' && actions.togglePictureInPicture) actions.togglePictureInPicture();
  else return;
  event.preventDefault();
}
