import type { VideoInfo } from '@onair/protocol';
import type { KeyboardEvent, Ref } from 'react';
import { RetryingThumbnail } from './retrying-thumbnail';

export interface VideoOptionProps {
  video: VideoInfo;
  selected: boolean;
  /** Roving focus: only one option is in the tab order. */
  focusable: boolean;
  optionRef: Ref<HTMLDivElement>;
  onChoose(): void;
  onKeyDown(event: KeyboardEvent<HTMLDivElement>): void;
  onFocus(): void;
}

/** The badge of a stream that is not on air; servers from before streams at run time send no status. */
const OFF_AIR_LABEL: Record<Exclude<NonNullable<VideoInfo['status']>, 'live'>, string> = {
  scheduled: 'Scheduled',
  ended: 'Ended',
  cancelled: 'Cancelled',
};

/**
 * One entry of the selector: thumbnail, title, "LIVE" (or "Scheduled", "Ended" for a stream not on air, "Replay"
 * for an ended one whose recording is ready, with `data-replay`), and a "Playing" mark on the one selected.
 *
 * Every video an OnAir server lists is a live channel: the server plays its file in a loop on a shared clock
 * (PROTOCOL.md, "position `((now − epoch) / 1000) mod d`"), and the protocol has no on-demand video, so a
 * viewer always joins wherever the loop is. The catalog's `duration` is the length of that loop, not a length
 * to watch, and showing it ("0:30") read as a clip (issue 12); it stays on the option as `data-loop-seconds`.
 */
export function VideoOption({
  video,
  selected,
  focusable,
  optionRef,
  onChoose,
  onKeyDown,
  onFocus,
}: VideoOptionProps) {
  // An ended broadcast whose recording is ready plays as its replay when chosen (PROTOCOL.md, "Recording").
  const replayable = video.status === 'ended' && video.recording?.state === 'ready';
  return (
    <div
      ref={optionRef}
      role="option"
      aria-selected={selected}
      tabIndex={focusable ? 0 : -1}
      className="onair-selector__option"
      data-selected={selected ? '' : undefined}
      data-video-id={video.id}
      data-loop-seconds={video.duration ?? undefined}
      data-status={video.status}
      data-replay={replayable ? '' : undefined}
      onClick={onChoose}
      onKeyDown={onKeyDown}
      onFocus={onFocus}
    >
      {video.thumbnailUrl && <RetryingThumbnail key={video.thumbnailUrl} src={video.thumbnailUrl} />}
      <span className="onair-selector__title">{video.title}</span>
      {video.status === undefined || video.status === 'live' ? (
        <span className="onair-selector__live">LIVE</span>
      ) : (
        <span className="onair-selector__status">{replayable ? 'Replay' : OFF_AIR_LABEL[video.status]}</span>
      )}
      {/* aria-selected already says it to assistive technology; this says it to the eye, not by colour alone. */}
      {selected && (
        <span className="onair-selector__playing" aria-hidden="true">
          ✓ Playing
        </span>
      )}
    </div>
  );
}
