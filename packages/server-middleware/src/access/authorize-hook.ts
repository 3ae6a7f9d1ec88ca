import type { IncomingMessage } from 'node:http';
import type { AccessRole } from '@onair/protocol';

/**
 * What the `authorize` hook is asked about: may this request act in `role` on `streamId`? `viewer` watches,
 * `chatter` writes chat, `moderator` deletes and pins, `broadcaster` creates, starts, ends and removes streams
 * (`<mount>/streams` REST).
 */
export interface AuthorizeContext {
  /** The WebSocket upgrade request, or the REST request (headers, cookies, URL with its query string). */
  req: IncomingMessage;
  role: AccessRole;
  /**
   * The stream (video id) concerned. On the upgrade: the `?video=` query parameter, if any; on `select` and
   * for the chat roles: the video joined; on REST: the `:id` of the route.
   */
  streamId?: string;
  /**
   * The same as `streamId`, its name before chat and REST named streams; kept for hooks written then.
   * @deprecated Read `streamId`.
   */
  videoId?: string;
}

/** Lets the request in, and names who it is: the name shown with their chat messages. */
export interface AuthorizeGrant {
  displayName?: string;
}

/**
 * `true` (or a grant object) lets the request in; `false` refuses with 403; `{ status }` picks the status (401
 * to ask for credentials). A grant's `displayName` replaces the name the client asked for.
 */
export type AuthorizeResult = boolean | { status: 401 | 403; message?: string } | AuthorizeGrant;
