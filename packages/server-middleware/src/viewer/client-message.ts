import {
  type ClientMessage,
  DecodeErrorCode,
  decodeAck,
  decodeClientMessage,
  ErrorCode,
  MAX_CLIENT_ID_LENGTH,
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
  | { kind: 'error'; code: ErrorCode; message: string; ref?: string };

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
  const json = bytes.toString('utf8');
  if (bytes.byteLength > MAX_CONTROL_MESSAGE_BYTES) {
    return withRef(json, {
      kind: 'error',
      code: ErrorCode.MessageTooLarge,
      message: `text message is ${bytes.byteLength} bytes; the limit is ${MAX_CONTROL_MESSAGE_BYTES}`,
    });
  }
  const decoded = decodeClientMessage(json);
  if (decoded.ok) return { kind: 'message', message: decoded.value };
  const code =
    decoded.error.code === DecodeErrorCode.TooLarge ? ErrorCode.MessageTooLarge : ErrorCode.BadMessage;
  return withRef(json, { kind: 'error', code, message: decoded.error.message.slice(0, 900) });
}

/**
 * A refused message still names the `clientId` it carried (PROTOCOL.md: every refusal of a message with a
 * `clientId` carries it as `ref`), so a client settles that one message even when another field failed the
 * schema, which stops before `clientId` is read. Parsed again only on this refusal path; `ws`'s `maxPayload`
 * bounds the text.
 */
function withRef(json: string, error: Extract<InboundMessage, { kind: 'error' }>): InboundMessage {
  const ref = clientIdIn(json);
  return ref === undefined ? error : { ...error, ref };
}

/** The raw object's `clientId` when it has the wire's shape (a string of 1 to 64 UTF-16 units), else none. */
export function clientIdIn(json: string): string | undefined {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (typeof data !== 'object' || data === null || !('clientId' in data)) return undefined;
  const { clientId } = data;
  return typeof clientId === 'string' && clientId.length >= 1 && clientId.length <= MAX_CLIENT_ID_LENGTH
    ? clientId
    : undefined;
}
