import type { RecordingInfo, StreamInfo, StreamStatus } from '@onair/protocol';
import type { VideoSource } from '../source/video-source';

/** One stream as the registry keeps it. The ingest key is kept apart, so a record can be handed to anyone. */
export interface StreamRecord {
  readonly id: string;
  readonly title: string;
  readonly description: string | null;
  readonly status: StreamStatus;
  /** Unix ms; null when not said. */
  readonly scheduledAt: number | null;
  readonly createdAt: number;
  readonly startedAt: number | null;
  readonly endedAt: number | null;
  /**
   * What the stream's channel reads: the file or ffmpeg input it was created with, or the feed an ingest
   * attached (`StreamRegistry.attachFeed`); null while nothing feeds it. A live stream with a source is on air.
   */
  readonly source: VideoSource | null;
  /** Whether its broadcast is recorded (issue 13 item 5); null: as the server's `record` option says. */
  readonly record?: boolean | null;
}

/**
 * What REST answers about a stream: the record without its source's details (paths, URLs) or key, and its
 * recording when it records.
 */
export function streamInfo(record: StreamRecord, recording: RecordingInfo | null = null): StreamInfo {
  return {
    ...streamFields(record),
    hasInput: record.source !== null,
    ...(recording ? { recording } : {}),
  };
}

/** What every view of a stream shows of it (REST, the hub's shared list): its record without source or key. */
export type StreamFields = Omit<StreamRecord, 'source' | 'record'>;

export function streamFields(record: StreamRecord): StreamFields {
  return {
    id: record.id,
    title: record.title,
    description: record.description,
    status: record.status,
    scheduledAt: record.scheduledAt,
    createdAt: record.createdAt,
    startedAt: record.startedAt,
    endedAt: record.endedAt,
  };
}

/** Whether two records show the same (`streamFields`), whatever feeds them. */
export function sameStreamFields(a: StreamRecord, b: StreamRecord): boolean {
  const left = streamFields(a);
  const right = streamFields(b);
  return (Object.keys(left) as (keyof StreamFields)[]).every((key) => left[key] === right[key]);
}
