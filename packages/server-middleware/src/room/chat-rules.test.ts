import { ErrorCode, MAX_DISPLAY_NAME_LENGTH } from '@onair/protocol';
import { describe, expect, it } from 'vitest';
import { checkChatText, guestName, sanitizeDisplayName } from './chat-rules';

describe('checkChatText', () => {
  it('refuses empty and whitespace-only text with ONAIR_CHAT_EMPTY', () => {
    for (const text of ['', '   ', '\n\t ', '\u0007\u202E ']) {
      expect(checkChatText(text, 500)).toMatchObject({ ok: false, code: ErrorCode.ChatEmpty });
    }
  });

  it('counts code points, so 500 emoji fit and 501 characters do not', () => {
    expect(checkChatText('😀'.repeat(500), 500)).toEqual({ ok: true, text: '😀'.repeat(500) });
    expect(checkChatText('a'.repeat(501), 500)).toMatchObject({ ok: false, code: ErrorCode.ChatTooLong });
  });

  it('trims, keeps newlines inside, and strips controls and bidi overrides', () => {
    expect(checkChatText('  hi\nthere\u0000\u202E  ', 500)).toEqual({ ok: true, text: 'hi\nthere' });
  });
});

describe('sanitizeDisplayName', () => {
  it('collapses whitespace and removes controls and invisible characters', () => {
    expect(sanitizeDisplayName('  Ada \t\n Lovelace\u200B\u202E ')).toBe('Ada Lovelace');
  });

  it('caps the name at MAX_DISPLAY_NAME_LENGTH code points', () => {
    const name = sanitizeDisplayName('🎉'.repeat(100));
    expect([...(name ?? '')]).toHaveLength(MAX_DISPLAY_NAME_LENGTH);
  });

  it('gives null for nothing usable, so the caller falls back to a guest name', () => {
    expect(sanitizeDisplayName(undefined)).toBeNull();
    expect(sanitizeDisplayName('   \u200B ')).toBeNull();
    expect(sanitizeDisplayName(42)).toBeNull();
  });

  it('gives null for names with no visible character: only marks, format characters or blank-looking ones', () => {
    for (const name of [
      '\u0301\u0308\u0327', // combining marks only
      ' \u0301 \u20DD ', // marks between spaces
      '\u200D\u200D', // zero-width joiners
      '\u00AD\u180E\u200C', // soft hyphen, Mongolian vowel separator, ZWNJ
      '\u{E0041}\u{E0042}', // tag characters
      '\u3164\u115F\uFFA0', // Hangul fillers
      '\u2800\u2800', // blank Braille pattern
      '\u00A0\u2003\u3000', // no-break, em and ideographic spaces
    ]) {
      expect(sanitizeDisplayName(name), JSON.stringify(name)).toBeNull();
    }
  });

  it('keeps names with one visible character: a letter, number, symbol or punctuation, marks included', () => {
    expect(sanitizeDisplayName('\u0301e')).toBe('\u0301e');
    expect(sanitizeDisplayName('Zoe\u0308')).toBe('Zoe\u0308');
    expect(sanitizeDisplayName('7')).toBe('7');
    expect(sanitizeDisplayName('★')).toBe('★');
    expect(sanitizeDisplayName('?!')).toBe('?!');
    expect(sanitizeDisplayName('李')).toBe('李');
  });

  it('turns blank-looking characters into spaces, so a trailing one cannot make a look-alike name', () => {
    expect(sanitizeDisplayName('Ada\u3164\u3164')).toBe('Ada');
    expect(sanitizeDisplayName('Ada\u2800Lovelace')).toBe('Ada Lovelace');
  });

  it('checks what is left after the cap: marks past a visible character that the cap cut are not a name', () => {
    expect(sanitizeDisplayName(`${'\u0301'.repeat(MAX_DISPLAY_NAME_LENGTH)}visible`)).toBeNull();
  });

  it('keeps emoji sequences joined by ZWJ whole', () => {
    expect(sanitizeDisplayName('👩‍💻 dev')).toBe('👩‍💻 dev');
  });
});

describe('guestName', () => {
  const secret = Buffer.from('a server secret');

  it('is "Guest-" and four hex digits', () => {
    expect(guestName(secret, 'ip:203.0.113.7')).toMatch(/^Guest-[0-9a-f]{4}$/);
  });

  it('is the same for one sender key and differs with the secret', () => {
    expect(guestName(secret, 'ip:203.0.113.7')).toBe(guestName(secret, 'ip:203.0.113.7'));
    const others = ['a', 'b', 'c', 'd'].map((seed) => guestName(Buffer.from(seed), 'ip:203.0.113.7'));
    expect(new Set(others).size).toBeGreaterThan(1);
  });
});
