import type { ClientMessage, VideoInfo } from '@onair/protocol';

/**
 * What this viewer asked to watch: a video (or, with none given, the first of the catalog), a locked rung and a
 * frame rate. It outlives connections: every new one gets the same `select` (and `quality`), so a viewer lands
 * back on the channel they were watching.
 */
export class Selection {
  videoId: string | null;
  quality: number | 'auto' = 'auto';
  videoFps: number | undefined;
  /** No `initialVideoId` was given and nothing was selected yet: the catalog's first video will be. */
  private awaitingCatalog: boolean;

  constructor(initialVideoId: string | null | undefined, videoFps: number | undefined) {
    this.videoId = initialVideoId ?? null;
    this.awaitingCatalog = initialVideoId === undefined;
    this.videoFps = videoFps;
  }

  /** The viewer chose a video (the same one again included): the catalog's first is no longer wanted. */
  choose(videoId: string): void {
    this.awaitingCatalog = false;
    this.videoId = videoId;
  }

  /** The video to select now that the catalog is known, if the viewer has not chosen one; null otherwise. */
  fromCatalog(catalog: readonly VideoInfo[]): string | null {
    const first = catalog[0];
    return this.awaitingCatalog && this.videoId === null && first ? first.id : null;
  }

  /** What asks the server for it: `select` with media and the frame rate (and a locked `quality`), or the room only. */
  messages(media: boolean): ClientMessage[] {
    const { videoId, videoFps, quality } = this;
    if (!videoId) return [];
    if (!media) return [{ type: 'select', videoId, media: false }];
    const select: ClientMessage = {
      type: 'select',
      videoId,
      ...(videoFps === undefined ? {} : { videoFps }),
    };
    return quality === 'auto' ? [select] : [select, { type: 'quality', rung: quality }];
  }
}
