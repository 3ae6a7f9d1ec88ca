import type { IncomingMessage } from 'node:http';
import { ErrorCode, type SelectMessage } from '@onair/protocol';
import { checkAuthorization } from '../access/authorize';
import type { Channel } from '../channel/channel';
import type { ResolvedOptions } from '../options/live-stream-options';

/** What a `select` asks for, once its video is found and the host allowed it. */
export interface Selection {
  channel: Channel;
  videoFps: number | null;
  /** False: the room only (a player that takes its picture from HLS); no channel subscription, no media. */
  media: boolean;
}

export interface SelectGateDeps {
  options: ResolvedOptions;
  channels: ReadonlyMap<string, Channel>;
  /** The upgrade request, for the `authorize` hook. */
  req: IncomingMessage;
  refuse(code: ErrorCode, message: string): void;
}

/**
 * Turns a viewer's `select` into a {@link Selection}: the video must exist and the host's `authorize` hook must
 * allow it. The hook is asynchronous, so only the newest `select` may land: a slow answer to an older one (or one
 * that arrives after the socket closed) is dropped, never applied over a later choice.
 */
export class SelectGate {
  private token = 0;

  constructor(private readonly deps: SelectGateDeps) {}

  request(message: SelectMessage, onAllowed: (selection: Selection) => void): void {
    const channel = this.deps.channels.get(message.videoId);
    if (!channel) {
      this.deps.refuse(ErrorCode.UnknownVideo, `no video with id "${message.videoId}"`);
      return;
    }
    const selection = { channel, videoFps: message.videoFps ?? null, media: message.media ?? true };
    const token = ++this.token;
    const { options, req } = this.deps;
    if (!options.authorize) {
      onAllowed(selection);
      return;
    }
    void checkAuthorization(options, { req, streamId: channel.id }).then((refusal) => {
      if (token !== this.token) return;
      if (refusal) this.deps.refuse(ErrorCode.Unauthorized, refusal.message);
      else onAllowed(selection);
    });
  }

  /** The socket closed: a `select` still waiting on the hook is dropped. */
  cancel(): void {
    this.token++;
  }
}
