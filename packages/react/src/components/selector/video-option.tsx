import type { VideoInfo } from '@onair/protocol';
import type { KeyboardEvent, Ref } from 'react';
import { formatDuration, isoDuration } from './format-duration';
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

/** The badge of a stream's status; servers from before streams at run time send none, and get none. */
const STATUS_LABEL: Record<NonNullable<VideoInfo['status']>, string> = {
  scheduled: 'Scheduled',
  live: 'Live',
  ended: 'Ended',
  cancelled: 'Cancelled',
};

/** One entry of the selector: thumbnail, title, duration, status, and whether it is the one playing. */
export function VideoOption({
  video,
  selected,
  focusable,
  optionRef,
  onChoose,
  onKeyDown,
  onFocus,
}: VideoOptionProps) {
  return (
    <div
      ref={optionRef}
      role="option"
      aria-selected={selected}
      tabIndex={focusable ? 0 : -1}
      className="onair-selector__option"
      data-selected={selected ? '' : undefined}
      data-video-id={video.id}
      data-status={video.status}
      onClick={onChoose}
      onKeyDown={onKeyDown}
      onFocus={onFocus}
    >
      {video.thumbnailUrl && <RetryingThumbnail key={video.thumbnailUrl} src={video.thumbnailUrl} />}
      <span className="onair-selector__title">{video.title}</span>
      {video.status && <span className="onair-selector__status">{STATUS_LABEL[video.status]}</span>}
      <span className="onair-selector__duration">
        {video.duration === null ? (
          formatDuration(null)
        ) : (
          <time dateTime={isoDuration(video.duration)}>{formatDuration(video.duration)}</time>
        )}
      </span>
    </div>
  );
}
