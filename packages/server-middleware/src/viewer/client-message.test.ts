import {
  ErrorCode,
  encodeAck,
  encodeMessage,
  MAX_CHAT_LENGTH,
  MAX_CLIENT_ID_LENGTH,
  MAX_CONTROL_MESSAGE_BYTES,
  MAX_DISPLAY_NAME_LENGTH,
} from '@onair/protocol';
import { describe, expect, it } from 'vitest';
import { readClientMessage } from './client-message';

const text = (value: string) => Buffer.from(value, 'utf8');

describe('readClientMessage', () => {
  it('reads a valid control message', () => {
    const inbound = readClientMessage(text(encodeMessage({ type: 'select', videoId: 'a' })), false);
    expect(inbound).toEqual({ kind: 'message', message: { type: 'select', videoId: 'a' } });
  });

  it('reads an ack, also when ws hands over fragments', () => {
    const ack = Buffer.from(encodeAck(42));
    expect(readClientMessage(ack, true)).toEqual({ kind: 'ack', sequence: 42 });
    expect(readClientMessage([ack.subarray(0, 3), ack.subarray(3)], true)).toEqual({
      kind: 'ack',
      sequence: 42,
    });
  });

  it('answers malformed JSON and invalid fields with ONAIR_BAD_MESSAGE', () => {
    expect(readClientMessage(text('{"type":'), false)).toMatchObject({
      kind: 'error',
      code: ErrorCode.BadMessage,
    });
    expect(readClientMessage(text('{"type":"select","videoId":"../x"}'), false)).toMatchObject({
      kind: 'error',
      code: ErrorCode.BadMessage,
    });
    expect(readClientMessage(text('{"type":"launch"}'), false)).toMatchObject({ code: ErrorCode.BadMessage });
  });

  it('answers text over the control limit with ONAIR_MESSAGE_TOO_LARGE, counting bytes not characters', () => {
    const oversized = text(`"${'é'.repeat(MAX_CONTROL_MESSAGE_BYTES / 2)}"`);
    expect(oversized.byteLength).toBeGreaterThan(MAX_CONTROL_MESSAGE_BYTES);
    expect(readClientMessage(oversized, false)).toMatchObject({
      kind: 'error',
      code: ErrorCode.MessageTooLarge,
    });
  });

  it('names the clientId of a refused message as its ref, whichever field failed', () => {
    const refused = (message: Record<string, unknown>) =>
      readClientMessage(text(JSON.stringify({ type: 'chat-send', clientId: 'c-1', ...message })), false);
    expect(refused({ text: 'x'.repeat(MAX_CHAT_LENGTH * 8 + 1) })).toEqual({
      kind: 'error',
      code: ErrorCode.BadMessage,
      message: expect.any(String),
      ref: 'c-1',
    });
    expect(refused({ text: 'hi', displayName: 'n'.repeat(MAX_DISPLAY_NAME_LENGTH * 4 + 1) })).toMatchObject({
      code: ErrorCode.BadMessage,
      ref: 'c-1',
    });
    expect(refused({ text: 42 })).toMatchObject({ code: ErrorCode.BadMessage, ref: 'c-1' });
    // Over the control limit (escapes inflate the bytes, not the text), still answered with its ref.
    expect(refused({ text: '\u0000'.repeat(MAX_CONTROL_MESSAGE_BYTES / 6 + 1) })).toMatchObject({
      code: ErrorCode.MessageTooLarge,
      ref: 'c-1',
    });
  });

  it('gives no ref when the message has no clientId of the wire shape', () => {
    const refusal = (json: string) => readClientMessage(text(json), false);
    expect(refusal('{"type":"chat-send","clientId":"c-1","text":')).not.toHaveProperty('ref');
    expect(refusal('{"type":"chat-send","text":"no id"}')).not.toHaveProperty('ref');
    expect(refusal('{"type":"chat-send","clientId":7,"text":"hi"}')).not.toHaveProperty('ref');
    expect(refusal('{"type":"chat-send","clientId":"","text":"hi"}')).not.toHaveProperty('ref');
    const tooLong = JSON.stringify({
      type: 'chat-send',
      clientId: 'i'.repeat(MAX_CLIENT_ID_LENGTH + 1),
      text: 'hi',
    });
    expect(refusal(tooLong)).not.toHaveProperty('ref');
    expect(refusal('["chat-send"]')).not.toHaveProperty('ref');
  });

  it('answers binary that is not an ack with ONAIR_BAD_BINARY', () => {
    expect(readClientMessage(Buffer.from([1, 2, 3, 4, 5, 6, 7, 8]), true)).toMatchObject({
      kind: 'error',
      code: ErrorCode.BadBinary,
    });
    expect(readClientMessage(Buffer.alloc(0), true)).toMatchObject({ code: ErrorCode.BadBinary });
  });
});
