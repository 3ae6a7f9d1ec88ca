import { useCallback, useSyncExternalStore } from 'react';
import {
  cleanDisplayName,
  DISPLAY_NAME_STORAGE_KEY,
  displayNameProblem,
  guestName,
  readStoredName,
  writeStoredName,
} from '../client/room/display-name';

export interface UseDisplayNameOptions {
  /**
   * The host's name for this viewer (a signed-in user's): when given it is the name, and the viewer cannot
   * change it here. The server's `authorize` hook may still override what is sent.
   */
  hostName?: string;
  /** The `localStorage` key the chosen name is kept under. Default `'onair:display-name'`. */
  storageKey?: string;
}

export type SetDisplayNameResult = { ok: true; name: string } | { ok: false; reason: string };

export interface UseDisplayNameResult {
  /**
   * The name sent with this viewer's messages: the host's, else the one the viewer chose (kept across reloads),
   * else a `Guest-` name made once and kept the same way. Undefined while rendering on the server.
   */
  name: string | undefined;
  /** The viewer may change it (no `hostName`). */
  editable: boolean;
  /** Keeps a new name (trimmed, invisible characters removed); refused with the reason when empty or too long. */
  setName(name: string): SetDisplayNameResult;
}

// Every hook using one key sees a change at once (the `storage` event fires only in the other tabs), and a
// name kept only in memory (storage refused) is shared the same way.
const listeners = new Set<() => void>();
const inMemory = new Map<string, string>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  const onStorage = () => listener();
  globalThis.addEventListener?.('storage', onStorage);
  return () => {
    listeners.delete(listener);
    globalThis.removeEventListener?.('storage', onStorage);
  };
}

function currentName(key: string): string {
  const stored = readStoredName(key) ?? inMemory.get(key);
  if (stored !== undefined) return stored;
  // The first visit: one guest name, kept, so it is the same after a reload (issue 12: it changed each time).
  const guest = guestName();
  if (!writeStoredName(key, guest)) inMemory.set(key, guest);
  return guest;
}

/** The display name this viewer chats under: chosen by them and kept in `localStorage`, or set by the host. */
export function useDisplayName({
  hostName,
  storageKey = DISPLAY_NAME_STORAGE_KEY,
}: UseDisplayNameOptions = {}): UseDisplayNameResult {
  const stored = useSyncExternalStore(
    subscribe,
    () => currentName(storageKey),
    () => undefined,
  );
  const setName = useCallback(
    (name: string): SetDisplayNameResult => {
      const reason = displayNameProblem(name);
      if (reason !== null) return { ok: false, reason };
      const cleaned = cleanDisplayName(name);
      if (writeStoredName(storageKey, cleaned)) inMemory.delete(storageKey);
      else inMemory.set(storageKey, cleaned);
      for (const listener of listeners) listener();
      return { ok: true, name: cleaned };
    },
    [storageKey],
  );
  const host = hostName === undefined ? undefined : cleanDisplayName(hostName) || undefined;
  return { name: host ?? stored, editable: host === undefined, setName };
}
