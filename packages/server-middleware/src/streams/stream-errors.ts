import { ErrorCode } from '@onair/protocol';

/** The registry has no stream with that id. REST answers 404 `ONAIR_UNKNOWN_VIDEO`. */
export class UnknownStreamError extends Error {
  readonly code = ErrorCode.UnknownVideo;
  constructor(readonly streamId: string) {
    super(`no stream with id "${streamId}"`);
    this.name = 'UnknownStreamError';
  }
}

/** The id is taken, or the stream's status does not allow the move. REST answers 409 `ONAIR_CONFLICT`. */
export class StreamConflictError extends Error {
  readonly code = ErrorCode.Conflict;
  constructor(message: string) {
    super(message);
    this.name = 'StreamConflictError';
  }
}
