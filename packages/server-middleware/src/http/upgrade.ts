import { type IncomingMessage, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { ErrorCode } from '@onair/protocol';
import type { WebSocket, WebSocketServer } from 'ws';
import { checkAuthorization, refusalCode } from '../access/authorize';
import type { ResolvedOptions } from '../options/live-stream-options';
import { isValidVideoId } from '../source/video-id';
import type { AudioSocketTokens } from '../viewer/audio-socket-tokens';

export interface UpgradeDeps {
  options: ResolvedOptions;
  wss: WebSocketServer;
  /** `<mount>/ws`, e.g. `/live/ws`. */
  wsPath(): string;
  isClosing(): boolean;
  accept(ws: WebSocket, req: IncomingMessage): void;
}

/** Refuses an upgrade with a plain HTTP response (browsers only see the status; other clients get the JSON). */
export function rejectUpgrade(socket: Duplex, status: number, code: string, message: string): void {
  const body = JSON.stringify({ error: { code, message } });
  if (socket.writable) {
    socket.once('finish', () => socket.destroy());
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nConnection: close\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  } else {
    socket.destroy();
  }
}

function pathAndQuery(req: IncomingMessage): URL | null {
  try {
    return new URL(req.url ?? '/', 'http://upgrade.invalid');
  } catch {
    return null;
  }
}

/**
 * What every upgrade this middleware takes is checked for first: refused (answered, true) while the server closes
 * or from an origin not allowed.
 */
function refusedAtTheDoor(
  deps: { options: ResolvedOptions; isClosing(): boolean },
  req: IncomingMessage,
  socket: Duplex,
): boolean {
  // A client can reset the connection while authorize runs; without a listener that would crash the host.
  socket.on('error', () => socket.destroy());
  if (deps.isClosing()) {
    rejectUpgrade(socket, 503, ErrorCode.ServerClosing, 'the server is shutting down');
    return true;
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !deps.options.isOriginAllowed(origin)) {
    rejectUpgrade(socket, 403, ErrorCode.Forbidden, 'origin not allowed');
    return true;
  }
  return false;
}

/**
 * Takes an upgrade request if it is for `<mount>/ws` and returns true (answered, accepted or refused); returns
 * false for any other path so the host's own WebSockets keep working. Origin and `authorize` are checked
 * before the handshake completes, so a refused viewer never gets a socket.
 */
export function handleUpgradeRequest(
  deps: UpgradeDeps,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
): boolean {
  const url = pathAndQuery(req);
  if (!url || url.pathname !== deps.wsPath()) return false;
  if (refusedAtTheDoor(deps, req, socket)) return true;
  const complete = () => deps.wss.handleUpgrade(req, socket, head, (ws) => deps.accept(ws, req));
  if (!deps.options.authorize) {
    complete();
    return true;
  }
  const requested = url.searchParams.get('video');
  const videoId = isValidVideoId(requested) ? requested : undefined;
  void checkAuthorization(deps.options, { req, streamId: videoId }).then((refusal) => {
    if (deps.isClosing()) rejectUpgrade(socket, 503, ErrorCode.ServerClosing, 'the server is shutting down');
    else if (refusal) rejectUpgrade(socket, refusal.status, refusalCode(refusal.status), refusal.message);
    else complete();
  });
  return true;
}

export interface AudioUpgradeDeps {
  options: ResolvedOptions;
  wss: WebSocketServer;
  /** `<mount>/audio`, e.g. `/live/audio`. */
  audioPath(): string;
  isClosing(): boolean;
  tokens: AudioSocketTokens;
}

/**
 * Takes an upgrade request for `<mount>/audio` (PROTOCOL.md, "The audio socket") and returns true; false for any
 * other path. The token in its query names the viewer session it joins: that session's viewer socket passed the
 * origin check and `authorize`, so only the origin is checked again here, and an unknown token is refused with
 * 403 before the handshake.
 */
export function handleAudioUpgradeRequest(
  deps: AudioUpgradeDeps,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
): boolean {
  const url = pathAndQuery(req);
  if (!url || url.pathname !== deps.audioPath()) return false;
  if (refusedAtTheDoor(deps, req, socket)) return true;
  const holder = deps.tokens.holder(url.searchParams.get('audioToken'));
  if (!holder) {
    rejectUpgrade(
      socket,
      403,
      ErrorCode.Forbidden,
      'no viewer session has this audio socket token (it is given in welcome and ends with its viewer socket)',
    );
    return true;
  }
  deps.wss.handleUpgrade(req, socket, head, (ws) => holder.attachAudioSocket(ws));
  return true;
}
