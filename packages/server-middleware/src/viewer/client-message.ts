import {
  type ClientMessage,
  DecodeErrorCode,
  decodeAck,
  decodeClientMessage,
  ErrorCode,
  MAX_CONTROL_MESSAGE_BYTES,
} from '@onair/protocol';
import type { RawData } from 'ws';

/**
 * One WebSocket message from a viewer, read: a control message (text), a video ack (binary), or the error to
 * answer with.
 */
export type InboundMessage =
  | { kind: 'message'; message: ClientMessage }
  | { kind: 'ack'; sequence: number }
  | { kind: 'error'; code: ErrorCode; message: string };

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/** Reads what `ws` delivered. Never throws: hostile bytes become an error to send back. */
export function readClientMessage(data: RawData, isBinary: boolean): InboundMessage {
  const bytes = toBuffer(data);
  if (isBinary) {
    const ack = decodeAck(bytes);
    if (ack.ok) return { kind: 'ack', sequence: ack.value };
    return {
      kind: 'error',
      code: ErrorCode.BadBinary,
      message: `binary message is not an ack: ${ack.error.message}`,
    };
  }
  if (bytes.byteLength > MAX_CONTROL_MESSAGE_BYTES) {
    return {
      kind: 'error',
      code: ErrorCode.MessageTooLarge,
      message: `text message is ${bytes.byteLength} bytes; the limit is ${MAX_CONTROL_MESSAGE_BYTES}`,
    };
  }
  const decoded = decodeClientMessage(bytes.toString('utf8'));
  if (decoded.ok) return { kind: 'message', message: decoded.value };
  const code =
    decoded.error.code === DecodeErrorCode.TooLarge ? ErrorCode.MessageTooLarge : ErrorCode.BadMessage;
  return { kind: 'error', code, message: decoded.error.message.slice(0, 900) };
}
