import { chatLength } from '@onair/protocol';

/**
 * Why `text` cannot be sent, in words for the person typing it, or null when it can. The server checks the same
 * (it is the authority, with ONAIR_CHAT_EMPTY and ONAIR_CHAT_TOO_LONG); checking here first saves a round trip
 * and explains the refusal before anything is sent.
 */
export function chatTextProblem(text: string, maxChatLength: number): string | null {
  const trimmed = text.trim();
  if (trimmed.length === 0) return 'Type a message first.';
  const length = chatLength(trimmed);
  if (length > maxChatLength)
    return `Messages can be at most ${maxChatLength} characters; this one has ${length}.`;
  return null;
}
