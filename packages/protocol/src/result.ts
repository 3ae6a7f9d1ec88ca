import type { DecodeErrorCode } from './error-codes';

/** What a decoder returns: decoders never throw on hostile input. */
export type DecodeResult<T> = { ok: true; value: T } | { ok: false; error: DecodeError };

export interface DecodeError {
  code: DecodeErrorCode;
  message: string;
}

export function ok<T>(value: T): DecodeResult<T> {
  return { ok: true, value };
}

export function fail<T = never>(code: DecodeErrorCode, message: string): DecodeResult<T> {
  return { ok: false, error: { code, message } };
}
