import type { KeyboardEvent } from 'react';

export interface PlayerShortcutActions {
  togglePlay(): void;
  toggleMuted(): void;
  toggleFullscreen(): void;
}

/**
 * The player's keys, as in the YouTube player: space or k play/pause, m mute, f fullscreen. Keys typed into a
 * text field or a menu stay theirs, and space on a button or slider is left to that control (it would
 * otherwise act twice: once as the button's click and once as the shortcut).
 */
export function handlePlayerShortcut(
  event: KeyboardEvent<HTMLElement>,
  actions: PlayerShortcutActions,
): void {
  if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
  const target = event.target as HTMLElement;
  const tag = target.tagName;
  const isTextEntry = tag === 'TEXTAREA' || tag === 'SELECT' || target.isContentEditable;
  const isTextInput = tag === 'INPUT' && (target as HTMLInputElement).type !== 'range';
  if (isTextEntry || isTextInput) return;
  const key = event.key.toLowerCase();
  if (key === ' ' && (tag === 'BUTTON' || tag === 'INPUT')) return;
  if (key === ' ' || key === 'k') actions.togglePlay();
  else if (key === 'm') actions.toggleMuted();
  else if (key === 'f') actions.toggleFullscreen();
  else return;
  event.preventDefault();
}
