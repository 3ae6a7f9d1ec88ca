import type { VideoInfo } from '@onair/protocol';
import { type HTMLAttributes, type KeyboardEvent, useRef, useState } from 'react';
import type { LiveStreamClient } from '../../client/live-stream-client';
import { useContainerLayout } from '../../hooks/internal/use-container-layout';
import { useVideoCatalog } from '../../hooks/use-video-catalog';
import { VideoOption } from './video-option';

export interface VideoSelectorProps extends Omit<HTMLAttributes<HTMLDivElement>, 'children' | 'onSelect'> {
  /** Default: the client of the nearest `<LiveStreamProvider>`. */
  client?: LiveStreamClient;
  /** Accessible name of the list. Default "Videos". */
  label?: string;
  /** Called after the viewer picks a video (the client has already been told). */
  onSelect?: (video: VideoInfo) => void;
  /** Shown when the catalog is empty. Default "No videos". */
  emptyMessage?: string;
}

const NEXT_KEYS = new Set(['ArrowDown', 'ArrowRight']);
const PREVIOUS_KEYS = new Set(['ArrowUp', 'ArrowLeft']);

/**
 * The catalog as a single-select listbox (WAI-ARIA APG "Listbox"): one option in the tab order (roving
 * tabindex), arrows and Home/End move focus, Enter or Space picks. Focus moving does not switch the stream:
 * each switch starts a channel on the server, so only a deliberate choice does. `data-layout` on the root:
 * `narrow` (its own width ≤ 480 px: one column of rows) · `wide` (a grid of cards).
 */
export function VideoSelector({
  client,
  label = 'Videos',
  onSelect,
  emptyMessage = 'No videos',
  className,
  ...rest
}: VideoSelectorProps) {
  const { videos, loading, error, selectedVideoId, select } = useVideoCatalog(client);
  const [focusedId, setFocusedId] = useState<string | null>(null);
  const optionRefs = useRef(new Map<string, HTMLDivElement>());
  const root = useRef<HTMLDivElement>(null);
  const layout = useContainerLayout(root);
  const state = error ? 'error' : loading ? 'loading' : videos.length === 0 ? 'empty' : 'ready';
  const rovingId =
    videos.find((video) => video.id === focusedId)?.id ??
    videos.find((video) => video.id === selectedVideoId)?.id ??
    videos[0]?.id;

  const choose = (video: VideoInfo) => {
    select(video.id);
    onSelect?.(video);
  };

  const moveFocus = (index: number) => {
    const target = videos[(index + videos.length) % videos.length];
    if (!target) return;
    setFocusedId(target.id);
    optionRefs.current.get(target.id)?.focus();
  };

  const onOptionKeyDown = (event: KeyboardEvent<HTMLDivElement>, index: number, video: VideoInfo) => {
    if (NEXT_KEYS.has(event.key)) moveFocus(index + 1);
    else if (PREVIOUS_KEYS.has(event.key)) moveFocus(index - 1);
    else if (event.key === 'Home') moveFocus(0);
    else if (event.key === 'End') moveFocus(videos.length - 1);
    else if (event.key === 'Enter' || event.key === ' ') choose(video);
    else return;
    event.preventDefault();
  };

  return (
    <div
      ref={root}
      {...rest}
      className={className ? `onair-selector ${className}` : 'onair-selector'}
      data-state={state}
      data-layout={layout}
    >
      {state === 'ready' ? (
        <div className="onair-selector__list" role="listbox" aria-label={label}>
          {videos.map((video, index) => (
            <VideoOption
              key={video.id}
              video={video}
              selected={video.id === selectedVideoId}
              focusable={video.id === rovingId}
              optionRef={(element) => {
                if (element) optionRefs.current.set(video.id, element);
                else optionRefs.current.delete(video.id);
              }}
              onChoose={() => choose(video)}
              onKeyDown={(event) => onOptionKeyDown(event, index, video)}
              onFocus={() => setFocusedId(video.id)}
            />
          ))}
        </div>
      ) : (
        <p className="onair-selector__message" role="status">
          {state === 'loading'
            ? 'Loading videos…'
            : state === 'error'
              ? `Could not load videos: ${error}`
              : emptyMessage}
        </p>
      )}
    </div>
  );
}
