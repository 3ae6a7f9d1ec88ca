import { createHmac } from 'node:crypto';
import { chatLength, ErrorCode, MAX_DISPLAY_NAME_LENGTH } from '@onair/protocol';

export type TextCheck = { ok: true; text: string } | { ok: false; code: ErrorCode; message: string };

// C0/C1 controls except tab and newline, and the bidi overrides and isolates that let a name or message
// reorder the text around it (a "Trojan Source" style spoof).
// Names also lose zero-width spaces and marks (ZWJ stays: emoji sequences need it).
const UNSAFE_IN_TEXT = /(?![\t\n])\p{Cc}|[\u202A-\u202E\u2066-\u2069]/gu;
const UNSAFE_IN_NAME = /\p{Cc}|[\u200B\u200E\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/gu;
// Letters and symbols that draw nothing (the Hangul fillers, the blank Braille pattern): a name of them looks
// empty, and trailing ones make "Ada" and "Ada<filler>" two names that look the same. They count as spaces.
const BLANK_LOOKING = /[\u115F\u1160\u3164\uFFA0\u2800]/gu;
// What a reader can see: a letter, number, symbol or punctuation. Combining marks, format characters (ZWJ, soft
// hyphen, tags) and spaces alone show nothing, or only a mark floating on nothing.
const VISIBLE = /[\p{L}\p{N}\p{S}\p{P}]/u;

/** What a chat message is stored as: unsafe controls removed, trimmed, then checked against the caps. */
export function checkChatText(text: string, maxLength: number): TextCheck {
  const cleaned = text.replace(UNSAFE_IN_TEXT, '').trim();
  if (cleaned === '') return { ok: false, code: ErrorCode.ChatEmpty, message: 'the message is empty' };
  const length = chatLength(cleaned);
  if (length > maxLength) {
    return {
      ok: false,
      code: ErrorCode.ChatTooLong,
      message: `the message is ${length} characters; the limit is ${maxLength}`,
    };
  }
  return { ok: true, text: cleaned };
}

/**
 * A display name a client chose, made safe to show: no controls or invisible characters, blank-looking ones and
 * whitespace runs collapsed to one space, at most `MAX_DISPLAY_NAME_LENGTH` characters. Null (the caller gives a
 * guest name) when what is left has no visible character: only combining marks, format characters or spaces.
 */
export function sanitizeDisplayName(name: unknown): string | null {
  if (typeof name !== 'string') return null;
  const cleaned = name.replace(UNSAFE_IN_NAME, '').replace(BLANK_LOOKING, ' ').replace(/\s+/gu, ' ').trim();
  const capped = [...cleaned].slice(0, MAX_DISPLAY_NAME_LENGTH).join('').trim();
  return VISIBLE.test(capped) ? capped : null;
}

/**
 * The name of a sender who gave none: "Guest-" and four hex digits drawn from its sender key (a socket's tag, a
 * REST sender's address), so one sender keeps one name. Keyed with a secret of the server's, so the name does
 * not give away the address behind it.
 */
export function guestName(secret: Buffer, senderKey: string): string {
  return `Guest-${createHmac('sha256', secret).update(senderKey).digest('hex').slice(0, 4)}`;
}
