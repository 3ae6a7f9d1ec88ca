// Blocking playlist reload (RFC 8216bis §6.2.5.2): a player that has the playlist up to media sequence M asks for
// `index.m3u8?_HLS_msn=M+1` and the server answers once segment M+1 is listed, instead of the player polling once
// a target duration and finding it up to a whole segment late. That wait is most of what a viewer joining a running
// channel had on top of a cold join (issue 11). Our playlists have no partial segments, so `_HLS_part` asks for
// the whole segment it belongs to, and `_HLS_skip` is never offered (no CAN-SKIP-UNTIL).

/** What a playlist request asks of the server's delivery. */
export type DeliveryDirectives =
  | { kind: 'none' }
  /** Answer once the playlist lists media sequence number `msn`. */
  | { kind: 'block'; msn: number }
  /** A directive the spec says to refuse with 400. */
  | { kind: 'invalid'; reason: string };

const DIRECTIVE = /^_HLS_/;
const NUMBER = /^\d{1,15}$/;

/** Reads `_HLS_msn` and `_HLS_part` from a request's query. */
export function readDeliveryDirectives(query: string): DeliveryDirectives {
  const params = new URLSearchParams(query);
  const msn = params.get('_HLS_msn');
  const part = params.get('_HLS_part');
  if (msn === null) {
    return part === null ? { kind: 'none' } : { kind: 'invalid', reason: '_HLS_part without _HLS_msn' };
  }
  if (!NUMBER.test(msn)) return { kind: 'invalid', reason: '_HLS_msn is not a media sequence number' };
  if (part !== null && !NUMBER.test(part))
    return { kind: 'invalid', reason: '_HLS_part is not a part index' };
  return { kind: 'block', msn: Number(msn) };
}

/**
 * The query without delivery directives: what a playlist's URIs carry on (a token), never `_HLS_msn`, which would
 * make every segment URL unique to one reload.
 */
export function withoutDeliveryDirectives(query: string): string {
  if (query === '') return query;
  return query
    .split('&')
    .filter((pair) => !DIRECTIVE.test(decodeURIComponentSafe(pair.split('=')[0] ?? '')))
    .join('&');
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** How long a blocked reload may wait before the server answers 503: three target durations (§6.2.5.2). */
export function blockingReloadTimeoutMs(targetDurationSec: number): number {
  return 3 * targetDurationSec * 1000;
}

/** Far ahead of the newest segment (more than two past it) is refused at once with 400 (§6.2.5.2). */
export function isTooFarAhead(msn: number, newestSequence: number): boolean {
  return msn > newestSequence + 2;
}
