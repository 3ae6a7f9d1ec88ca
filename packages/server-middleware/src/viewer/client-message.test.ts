import { ErrorCode, encodeAck, encodeMessage, MAX_CONTROL_MESSAGE_BYTES } from '@onair/protocol';
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

  it('answers binary that is not an ack with ONAIR_BAD_BINARY', () => {
    expect(readClientMessage(Buffer.from([1, 2, 3, 4, 5, 6, 7, 8]), true)).toMatchObject({
      kind: 'error',
      code: ErrorCode.BadBinary,
    });
    expect(readClientMessage(Buffer.alloc(0), true)).toMatchObject({ code: ErrorCode.BadBinary });
  });
});
