import type { ServerMessage, ServerMessageMap, ServerMessageType } from '@onair/protocol';
import type { AuthorizeContext, AuthorizeResult } from '@onair/server-middleware';
import type { TestViewer } from './test-viewer';

/** Messages of `type` a viewer has received so far. */
export function received<K extends ServerMessageType>(viewer: TestViewer, type: K): ServerMessageMap[K][] {
  return viewer.messages.filter(
    (message: ServerMessage): message is ServerMessageMap[K] => message.type === type,
  );
}

/** Waits for the first message of `type` (received at any time) that `match` accepts. */
export function waitForMessage<K extends ServerMessageType>(
  viewer: TestViewer,
  type: K,
  match: (message: ServerMessageMap[K]) => boolean = () => true,
  timeoutMs?: number,
): Promise<ServerMessageMap[K]> {
  return viewer.waitFor(() => received(viewer, type).find(match), `a matching "${type}" message`, timeoutMs);
}

/** Selects `videoId` and resolves with the `room` message of that join. */
export async function joinRoom(viewer: TestViewer, videoId: string): Promise<ServerMessageMap['room']> {
  const from = viewer.messages.length;
  viewer.send({ type: 'select', videoId });
  return viewer.next('room', from);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** JSON over fetch to the host, with optional headers: status and parsed body (null when empty). */
export async function requestJson(
  url: string,
  init: { method?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: unknown }> {
  const hasBody = init.body !== undefined || init.rawBody !== undefined;
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers: { ...(hasBody ? { 'content-type': 'application/json' } : {}), ...init.headers },
    ...(hasBody ? { body: init.rawBody ?? JSON.stringify(init.body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** Moderators say so in a header (a stand-in for a session cookie); `x-name` is a name the host vouches for. */
export function headerRoles({ req, role }: AuthorizeContext): AuthorizeResult {
  const who = req.headers['x-role'];
  if (who === 'muted' && role === 'chatter') return false;
  if (role === 'moderator') return who === 'moderator' ? { displayName: 'The Mod' } : { status: 403 };
  const name = req.headers['x-name'];
  return typeof name === 'string' ? { displayName: name } : true;
}
