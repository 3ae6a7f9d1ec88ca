import { ErrorCode } from '@onair/protocol';
import { ClientErrorCode, type LiveStreamError } from '../state/snapshot';
import type { HlsErrorData } from './hls-js';

/** A failed load as the viewer is told of it, and whether trying again could help. */
export interface HlsFailure {
  code: LiveStreamError['code'];
  message: string;
  /** The server refused this viewer (401, 403): retrying would only be refused again. */
  refused: boolean;
}

/** What each hls.js network error failed to load, in the viewer's words. */
const WHAT_FAILED: Record<string, string> = {
  manifestLoadError: 'the HLS playlist',
  manifestLoadTimeOut: 'the HLS playlist',
  manifestParsingError: 'the HLS playlist',
  levelLoadError: 'a rendition playlist',
  levelLoadTimeOut: 'a rendition playlist',
  fragLoadError: 'a video segment',
  fragLoadTimeOut: 'a video segment',
  keyLoadError: 'a decryption key',
};

/** The HTTP status of a failed load: 0 when the browser gave none (CORS refusal, no network), null if not a load. */
function statusOf(error: HlsErrorData): number | null {
  const code = error.response?.code;
  return typeof code === 'number' ? code : null;
}

/** The `message` of the server's JSON error body (`{ error: { code, message } }`), when the browser lets us read it. */
function serverMessage(error: HlsErrorData): string | null {
  try {
    const details = error.networkDetails as { responseText?: unknown } | undefined;
    const text = typeof error.response?.data === 'string' ? error.response.data : details?.responseText;
    if (typeof text !== 'string' || text.length > 4_096) return null;
    const message = (JSON.parse(text) as { error?: { message?: unknown } }).error?.message;
    return typeof message === 'string' && message !== '' ? message : null;
  } catch {
    // Not JSON, or a binary response (segments) whose text cannot be read.
    return null;
  }
}

function hostOf(url: string | undefined): string {
  if (!url) return 'the server';
  try {
    return new URL(url, globalThis.location?.href).host || 'the server';
  } catch {
    return 'the server';
  }
}

/**
 * Turns a fatal hls.js error into words (issue 11: a CORS refusal showed as "Error" with no message). A status of
 * 0 is all a page learns of a CORS refusal or a network failure (the Fetch standard hides which), so both are
 * named; 401 and 403 carry the server's own message and stop playback; anything else names what failed.
 */
export function describeHlsFailure(error: HlsErrorData): HlsFailure {
  const what = WHAT_FAILED[error.details];
  const status = statusOf(error);
  if (!what || status === null) {
    return {
      code: ClientErrorCode.HlsFailed,
      message: `HLS playback failed (${error.details})`,
      refused: false,
    };
  }
  const host = hostOf(error.url ?? error.response?.url);
  if (status === 401 || status === 403) {
    const reason = serverMessage(error) ?? (status === 401 ? 'authentication required' : 'not authorized');
    return {
      code: status === 401 ? ErrorCode.Unauthorized : ErrorCode.Forbidden,
      message: `not allowed to watch this stream over HLS: ${reason} (HTTP ${status})`,
      refused: true,
    };
  }
  if (status === 0) {
    return {
      code: ClientErrorCode.HlsFailed,
      message:
        `could not load ${what} from ${host}: the browser blocked the request or the network failed ` +
        '(a server on another origin must allow this page with CORS headers)',
      refused: false,
    };
  }
  const reason = serverMessage(error);
  return {
    code: ClientErrorCode.HlsFailed,
    message: `could not load ${what} from ${host}: HTTP ${status}${reason ? ` (${reason})` : ''}`,
    refused: false,
  };
}
