import { renderMediaPlaylist, type ServedSegment } from './media-playlist';

/** One rendition's file for a segment: its own, or a sibling's when the run sheds that rendition. */
export interface SegmentFile {
  /** Rendition folder the file is in. */
  folder: string;
  name: string;
  /** The run's init section in the same folder. */
  initName: string;
  duration: number;
}

/** A segment every rendition has: what the packager commits to the window. */
export interface CommittedSegment {
  /** The run that wrote it (its first segment number: unique, numbers only rise). */
  run: number;
  /** Segment number on the epoch clock (the file names). */
  number: number;
  /** Unix ms at which it starts on the live timeline. */
  programDateTime: number;
  /** Per served rendition (the full ladder). */
  files: ReadonlyMap<string, SegmentFile>;
}

interface Slot extends CommittedSegment {
  sequence: number;
  discontinuity: boolean;
  /** The shortest rendition's duration: what the window counts. */
  duration: number;
}

export interface LiveWindowSettings {
  /** Segments the window keeps once it holds three target durations. */
  windowSegments: number;
  segmentSeconds: number;
}

/**
 * A channel's live playlists, one window for every rendition, across packager runs (RFC 8216 §6.2.1–6.2.2).
 * ffmpeg's own playlist starts afresh on each run, so serving it made a restart jump the media sequence past the
 * segments removed, shrink the window to one segment, and hide the timestamp jump. Here a run's segments are
 * appended after the old run's with `EXT-X-DISCONTINUITY`; the media sequence counts segments removed from the
 * head and the discontinuity sequence the discontinuities removed with them; the old run's segments stay listed
 * (and on disk) until the new run has pushed them out.
 *
 * Every rendition gets the same segments (the packager commits a number once every rendition has it), so media
 * and discontinuity sequences agree across the master playlist's variants (§6.2.4).
 */
export class LiveWindow {
  private slots: Slot[] = [];
  /** Slots out of the window, kept on disk one more window for players holding an older playlist. */
  private retired: { slot: Slot; until: number }[] = [];
  private appended = 0;
  private nextSequence = 0;
  private discontinuitySequence = 0;
  private targetDuration: number;
  private readonly rendered = new Map<string, string>();
  /** Blocked playlist reloads waiting for the next segment (`whenAppended`). */
  private readonly appendWaiters = new Set<(appended: boolean) => void>();

  constructor(private readonly settings: LiveWindowSettings) {
    this.targetDuration = Math.max(1, Math.ceil(settings.segmentSeconds));
  }

  get isEmpty(): boolean {
    return this.slots.length === 0;
  }

  /** Number of the newest segment listed; null when empty. */
  get newest(): number | null {
    return this.slots.at(-1)?.number ?? null;
  }

  /** Media sequence number of the newest segment listed; null when empty. */
  get newestSequence(): number | null {
    return this.slots.at(-1)?.sequence ?? null;
  }

  /** The playlists' EXT-X-TARGETDURATION, in seconds. */
  get targetDurationSec(): number {
    return this.targetDuration;
  }

  /**
   * Resolves true at the next append, false when `timeoutMs` passes first or the window is cleared (the packager
   * stopped): a blocked playlist reload waits here for the segment it asked for.
   */
  whenAppended(timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const settle = (appended: boolean) => {
        clearTimeout(timer);
        this.appendWaiters.delete(settle);
        resolve(appended);
      };
      const timer = setTimeout(() => settle(false), timeoutMs);
      this.appendWaiters.add(settle);
    });
  }

  /**
   * Appends a segment of `segment.run`, the run now writing. Returns the files (`folder/name`) of earlier runs
   * that no playlist a player may still hold lists any more: a dead run's ffmpeg no longer deletes its own.
   */
  append(segment: CommittedSegment): string[] {
    const last = this.slots.at(-1);
    if (last !== undefined && segment.number <= last.number) return [];
    const durations = [...segment.files.values()].map((file) => file.duration);
    // The target duration must not change (§6.2.1); it only grows for a segment that would otherwise break §4.3.3.1.
    this.targetDuration = Math.max(this.targetDuration, ...durations.map((duration) => Math.round(duration)));
    this.slots.push({
      ...segment,
      sequence: last === undefined ? Math.max(this.nextSequence, segment.number) : this.nextSequence,
      discontinuity: last !== undefined && last.run !== segment.run,
      duration: Math.min(...durations),
    });
    this.nextSequence = (this.slots.at(-1) as Slot).sequence + 1;
    this.appended++;
    this.trim();
    this.rendered.clear();
    this.wakeAppendWaiters(true);
    return this.expire(segment.run);
  }

  /** `rendition`'s playlist; null for a rendition the window does not have or before the first segment. */
  playlist(rendition: string): string | null {
    const cached = this.rendered.get(rendition);
    if (cached !== undefined) return cached;
    const first = this.slots[0];
    if (first === undefined || !first.files.has(rendition)) return null;
    const segments: ServedSegment[] = [];
    for (const slot of this.slots) {
      const file = slot.files.get(rendition);
      if (file === undefined) return null;
      const folder = file.folder === rendition ? '' : `../${file.folder}/`;
      segments.push({
        uri: `${folder}${file.name}`,
        duration: file.duration,
        programDateTime: slot.programDateTime,
        discontinuity: slot.discontinuity,
        initUri: `${folder}${file.initName}`,
      });
    }
    const text = renderMediaPlaylist({
      targetDuration: this.targetDuration,
      mediaSequence: first.sequence,
      discontinuitySequence: this.discontinuitySequence,
      segments,
    });
    this.rendered.set(rendition, text);
    return text;
  }

  /**
   * Empties the window (the packager stopped and its folder is gone). The sequences go on from where they were,
   * the discontinuity sequence one past every discontinuity listed, so a player that held the old playlist sees
   * the new segments as new and their timestamps as unrelated.
   */
  clear(): void {
    if (this.slots.length > 0) {
      this.discontinuitySequence += this.slots.filter((slot) => slot.discontinuity).length + 1;
    }
    this.slots = [];
    this.retired = [];
    this.rendered.clear();
    this.wakeAppendWaiters(false);
  }

  private wakeAppendWaiters(appended: boolean): void {
    for (const settle of [...this.appendWaiters]) settle(appended);
  }

  /**
   * Drops the oldest segments beyond `windowSegments`, never below three target durations (§6.2.2), counting
   * each discontinuity that leaves (§4.3.3.3).
   */
  private trim(): void {
    let duration = this.slots.reduce((sum, slot) => sum + slot.duration, 0);
    for (;;) {
      const head = this.slots[0];
      if (head === undefined || this.slots.length <= this.settings.windowSegments) return;
      if (duration - head.duration < 3 * this.targetDuration) return;
      this.slots.shift();
      duration -= head.duration;
      if (head.discontinuity) this.discontinuitySequence++;
      this.retired.push({ slot: head, until: this.appended + this.settings.windowSegments });
    }
  }

  /** Files of runs other than `liveRun` retired a full window ago, and their init sections once unused. */
  private expire(liveRun: number): string[] {
    const due = this.retired.filter((entry) => entry.until <= this.appended);
    if (due.length === 0) return [];
    this.retired = this.retired.filter((entry) => entry.until > this.appended);
    const files = new Set<string>();
    for (const { slot } of due) {
      if (slot.run === liveRun) continue;
      const held = this.holds(slot.run);
      for (const file of slot.files.values()) {
        files.add(`${file.folder}/${file.name}`);
        if (!held) files.add(`${file.folder}/${file.initName}`);
      }
    }
    return [...files];
  }

  private holds(run: number): boolean {
    return (
      this.slots.some((slot) => slot.run === run) || this.retired.some((entry) => entry.slot.run === run)
    );
  }
}
