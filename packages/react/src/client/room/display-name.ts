import { chatLength, MAX_DISPLAY_NAME_LENGTH } from '@onair/protocol';

/** Where `useDisplayName` keeps the name a viewer chose, unless told another key. */
export const DISPLAY_NAME_STORAGE_KEY = 'onair:display-name';

// Control and format characters (bidi overrides, zero-width joiners): the server strips them too.
const INVISIBLE = /[\p{Cc}\p{Cf}]/gu;

/** A name as it will be sent: without invisible characters, trimmed. */
export function cleanDisplayName(name: string): string {
  return name.replace(INVISIBLE, '').trim();
}

/** Why `name` cannot be a display name, in words for the person typing it, or null when it can. */
export function displayNameProblem(name: string): string | null {
  const cleaned = cleanDisplayName(name);
  if (cleaned.length === 0) return 'Type a name first.';
  const length = chatLength(cleaned);
  if (length > MAX_DISPLAY_NAME_LENGTH)
    return `Names can be at most ${MAX_DISPLAY_NAME_LENGTH} characters; this one has ${length}.`;
  return null;
}

/** "Guest-" and four hex digits, like the server's name for a viewer who gives none. */
export function guestName(random: () => number = Math.random): string {
  return `Guest-${Math.floor(random() * 0x10000)
    .toString(16)
    .padStart(4, '0')}`;
}

/**
 * The stored name, or null (none yet, no storage on the server, storage refused: private modes and sandboxed
 * frames throw on access).
 */
export function readStoredName(key: string): string | null {
  try {
    const stored = globalThis.localStorage?.getItem(key) ?? null;
    return stored !== null && displayNameProblem(stored) === null ? cleanDisplayName(stored) : null;
  } catch {
    return null;
  }
}

/** Keeps the name; false when the browser refused (the name then lasts as long as the page). */
export function writeStoredName(key: string, name: string): boolean {
  try {
    globalThis.localStorage?.setItem(key, name);
    return globalThis.localStorage !== undefined;
  } catch {
    return false;
  }
}
