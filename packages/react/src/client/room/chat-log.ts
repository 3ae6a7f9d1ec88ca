import type { ChatMessage } from '@onair/protocol';
import type { ChatEntry } from './room-snapshot';

/**
 * The chat list as pure functions over an immutable array: every change returns a new frozen array, so the
 * room snapshot changes exactly when the list does.
 */

/** Oldest entries go first past `limit`; this viewer's unsent ones stay, so Retry never vanishes under them. */
function bounded(entries: ChatEntry[], limit: number): readonly ChatEntry[] {
  let excess = entries.length - limit;
  if (excess <= 0) return Object.freeze(entries);
  const kept = entries.filter((entry) => {
    if (excess > 0 && entry.status === 'sent') {
      excess--;
      return false;
    }
    return true;
  });
  return Object.freeze(kept);
}

function sentEntry(message: ChatMessage, own: boolean): ChatEntry {
  return Object.freeze({ ...message, status: 'sent' as const, own, error: null });
}

/** The place a server message takes: its own id, or the optimistic entry it confirms (same clientId). */
function indexOfConfirmed(entries: readonly ChatEntry[], message: ChatMessage): number {
  const byId = entries.findIndex((entry) => entry.id === message.id);
  if (byId !== -1 || message.clientId === undefined) return byId;
  return entries.findIndex((entry) => entry.own && entry.clientId === message.clientId);
}

/**
 * A message the server stored: it replaces the optimistic entry it confirms (an ack, or the broadcast of our
 * own message arriving first) in place, or joins the end. A second copy of the same message changes nothing.
 */
export function confirmMessage(
  entries: readonly ChatEntry[],
  message: ChatMessage,
  own: boolean,
  limit: number,
): readonly ChatEntry[] {
  const index = indexOfConfirmed(entries, message);
  if (index === -1) return bounded([...entries, sentEntry(message, own)], limit);
  const existing = entries[index]!;
  if (existing.status === 'sent' && existing.id === message.id && existing.text === message.text)
    return entries;
  const next = [...entries];
  next[index] = sentEntry(message, own || existing.own);
  // An ack and a broadcast may each have matched a different entry; the id must appear once.
  return Object.freeze(next.filter((entry, at) => at === index || entry.id !== message.id));
}

export function appendPending(
  entries: readonly ChatEntry[],
  entry: ChatEntry,
  limit: number,
): readonly ChatEntry[] {
  return bounded([...entries, entry], limit);
}

/** Sets the status of this viewer's entry with `clientId`, unless it is already sent (a late timeout). */
export function setOwnStatus(
  entries: readonly ChatEntry[],
  clientId: string,
  status: 'pending' | 'failed',
  error: string | null,
): readonly ChatEntry[] {
  const index = entries.findIndex((entry) => entry.own && entry.clientId === clientId);
  const existing = entries[index];
  if (!existing || existing.status === 'sent') return entries;
  if (existing.status === status && existing.error === error) return entries;
  const next = [...entries];
  next[index] = Object.freeze({ ...existing, status, error });
  return Object.freeze(next);
}

export function removeMessage(entries: readonly ChatEntry[], messageId: string): readonly ChatEntry[] {
  const next = entries.filter((entry) => entry.id !== messageId);
  return next.length === entries.length ? entries : Object.freeze(next);
}

/**
 * The history of a (re)joined room, plus this viewer's messages it does not hold: failed ones stay retryable,
 * and an entry the history does hold (acked while the ack was lost) turns into the stored message.
 */
export function mergeHistory(
  entries: readonly ChatEntry[],
  history: readonly ChatMessage[],
  limit: number,
): readonly ChatEntry[] {
  const ownClientIds = new Set(entries.filter((entry) => entry.own).map((entry) => entry.clientId));
  const stored = history.map((message) =>
    sentEntry(message, message.clientId !== undefined && ownClientIds.has(message.clientId)),
  );
  const storedClientIds = new Set(stored.map((entry) => entry.clientId).filter((id) => id !== undefined));
  const unsent = entries.filter(
    (entry) => entry.status !== 'sent' && !(entry.clientId && storedClientIds.has(entry.clientId)),
  );
  return bounded([...stored, ...unsent], limit);
}
