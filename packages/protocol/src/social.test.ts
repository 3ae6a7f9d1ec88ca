import { describe, expect, it } from 'vitest';
import { MAX_CHAT_LENGTH, MAX_DISPLAY_NAME_LENGTH } from './constants';
import { DecodeErrorCode, ErrorCode } from './error-codes';
import { decodeClientMessage, decodeServerMessage, encodeMessage } from './json-codec';
import { chatLength, decodeChatPost } from './social';

describe('chat and reaction messages', () => {
  it('counts chat length in code points: an emoji is one character', () => {
    expect(chatLength('😀😀')).toBe(2);
    expect('😀😀'.length).toBe(4);
  });

  it('lets an over-long chat-send through the decoder so the server can answer ONAIR_CHAT_TOO_LONG', () => {
    const text = 'x'.repeat(MAX_CHAT_LENGTH + 1);
    expect(decodeClientMessage(encodeMessage({ type: 'chat-send', clientId: 'c', text })).ok).toBe(true);
  });

  it('refuses a reaction placed outside the picture', () => {
    expect(decodeClientMessage(JSON.stringify({ type: 'reaction', emoji: '👍', x: 1.5 })).ok).toBe(false);
  });

  it('carries ONAIR_HUB_UNAVAILABLE with the ref of the refused chat-send', () => {
    const error = {
      type: 'error',
      code: ErrorCode.HubUnavailable,
      message: 'retry',
      fatal: false,
      ref: 'client-1',
    } as const;
    expect(decodeServerMessage(encodeMessage(error))).toEqual({ ok: true, value: error });
  });
});

describe('decodeChatPost', () => {
  it('reads a REST chat body by the chat-send field rules, clientId optional', () => {
    expect(decodeChatPost({ text: 'hi' })).toEqual({ ok: true, value: { text: 'hi' } });
    expect(decodeChatPost({ text: 'hi', displayName: 'n'.repeat(MAX_DISPLAY_NAME_LENGTH * 4 + 1) }).ok).toBe(
      false,
    );
    expect(decodeChatPost({ text: 42 })).toMatchObject({
      ok: false,
      error: { code: DecodeErrorCode.Invalid },
    });
    expect(decodeChatPost('text').ok).toBe(false);
  });
});
