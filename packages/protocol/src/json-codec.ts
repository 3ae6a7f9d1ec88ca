import * as v from 'valibot';
import { type AudioSocketMessage, AudioSocketMessageSchema } from './audio-socket';
import {
  type BroadcastClientMessage,
  BroadcastClientMessageSchema,
  type BroadcastServerMessage,
  BroadcastServerMessageSchema,
} from './broadcast';
import { type ClientMessage, ClientMessageSchema } from './client-messages';
import { MAX_CONTROL_MESSAGE_BYTES } from './constants';
import { DecodeErrorCode } from './error-codes';
import { type DecodeResult, fail, ok } from './result';
import { type ServerMessage, ServerMessageSchema } from './server-messages';

/** Serialises a control message. Typed so only real messages can be sent. */
export function encodeMessage(
  message: ClientMessage | ServerMessage | BroadcastClientMessage | BroadcastServerMessage,
): string {
  return JSON.stringify(message);
}

function decodeWith<T>(schema: v.GenericSchema<unknown, T>, text: unknown): DecodeResult<T> {
  if (typeof text !== 'string') return fail(DecodeErrorCode.Invalid, 'control message must be text');
  // Length in UTF-16 units bounds the UTF-8 size from below; check bytes only when it could matter.
  if (text.length > MAX_CONTROL_MESSAGE_BYTES) {
    return fail(DecodeErrorCode.TooLarge, `control message exceeds ${MAX_CONTROL_MESSAGE_BYTES} bytes`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return fail(DecodeErrorCode.NotJson, 'control message is not valid JSON');
  }
  const parsed = v.safeParse(schema, data);
  if (!parsed.success) return fail(DecodeErrorCode.Invalid, v.summarize(parsed.issues));
  return ok(parsed.output);
}

/** Reads and validates a message from a client. Never throws. */
export function decodeClientMessage(text: unknown): DecodeResult<ClientMessage> {
  return decodeWith(ClientMessageSchema, text);
}

/** Reads and validates a message from the server. Never throws. */
export function decodeServerMessage(text: unknown): DecodeResult<ServerMessage> {
  return decodeWith(ServerMessageSchema, text);
}

/** Reads and validates a text message of the audio socket. Never throws. */
export function decodeAudioSocketMessage(text: unknown): DecodeResult<AudioSocketMessage> {
  return decodeWith(AudioSocketMessageSchema, text);
}

/** Reads and validates a message from a broadcaster. Never throws. */
export function decodeBroadcastClientMessage(text: unknown): DecodeResult<BroadcastClientMessage> {
  return decodeWith(BroadcastClientMessageSchema, text);
}

/** Reads and validates a message the server sends a broadcaster. Never throws. */
export function decodeBroadcastServerMessage(text: unknown): DecodeResult<BroadcastServerMessage> {
  return decodeWith(BroadcastServerMessageSchema, text);
}
