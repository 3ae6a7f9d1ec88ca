import type { IncomingMessage } from 'node:http';
import { ErrorCode, type SelectMessage, type StreamStatusMessage } from '@onair/protocol';
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
  /** What a stream without a channel is (scheduled, ended, live but not fed yet); null when there is no such stream. */
  offAirStatus(videoId: string): Omit<StreamStatusMessage, 'type'> | null;
  /** Answers a `select` of a stream that is not on air (instead of a `stream`). */
  offAir(status: Omit<StreamStatusMessage, 'type'>): void;
  /** The upgrade request, for the `authorize` hook. */
  req: IncomingMessage;
  refuse(code: ErrorCode, message: string): void;
}

/**
 * Turns a viewer's `select` into a {@link Selection}: the video must exist and the host's `authorize` hook must
 * allow it. A stream that exists but is not on air is answered with its status (`stream-status`), not a stream. The hook is asynchronous, so only the newest `select` may land: a slow answer to an older one (or one
 * that arrives after the socket closed) is dropped, never applied over a later choice.
 */
export class SelectGate {
  private token = 0;

  constructor(private readonly deps: SelectGateDeps) {}

  request(message: SelectMessage, onAllowed: (selection: Selection) => void): void {
    const { videoId } = message;
    const token = ++this.token;
    if (!this.deps.channels.has(videoId) && !this.deps.offAirStatus(videoId)) {
      this.deps.refuse(ErrorCode.UnknownVideo, `no video with id "${videoId}"`);
      return;
    }
    // Looked up again once allowed: the hook may answer after the stream went on or off air.
    const land = () => {
      const channel = this.deps.channels.get(videoId);
      if (channel) {
        onAllowed({ channel, videoFps: message.videoFps ?? null, media: message.media ?? true });
        return;
      }
      const offAir = this.deps.offAirStatus(videoId);
      if (offAir) this.deps.offAir(offAir);
      else this.deps.refuse(ErrorCode.UnknownVideo, `no video with id "${videoId}"`);
    };
    const { options, req } = this.deps;
    if (!options.authorize) {
      land();
      return;
    }
    void checkAuthorization(options, { req, streamId: videoId }).then((refusal) => {
      if (token !== this.token) return;
      if (refusal) this.deps.refuse(ErrorCode.Unauthorized, refusal.message);
      else land();
    });
  }

  /** The socket closed: a `select` still waiting on the hook is dropped. */
  cancel(): void {
    this.token++;
  }
}
