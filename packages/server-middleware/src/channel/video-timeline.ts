/**
 * A real-time input's video that falls this far behind the clock is put back on it. Below `LATE_ENCODE_MS`
 * (250 ms), so a frame put back is still encoded and sent.
 */
export const REALTIME_RESYNC_MS = 150;

/**
 * The channel time of each decoded frame: frame n at `start + n × interval`. A file is paced to that timeline (it
 * can be read ahead of it). A real-time input (a broadcast, a camera) cannot: when its decoder falls behind (a
 * starved CPU, a burst), every later frame would be stamped in the past, shed as late before any viewer saw it, and
 * stay so for good (issue 13: a 720p broadcast 8.6 s behind after a minute, no frame reaching a viewer). So a
 * real-time input's frames are moved forward onto the clock whenever they fall `REALTIME_RESYNC_MS` behind: the
 * picture is shown late against its sound rather than not at all, and the lag never grows.
 */
export class VideoTimeline {
  private frames = 0;
  private offsetMs = 0;
  /** Times the timeline was moved forward onto the clock. */
  resyncs = 0;

  constructor(
    private readonly intervalMs: number,
    private readonly realTime: boolean,
  ) {}

  /** The next frame's channel time, given the timeline's start and the channel clock now. */
  next(start: number, now: number): number {
    const timestamp = start + this.frames++ * this.intervalMs + this.offsetMs;
    if (!this.realTime) return timestamp;
    const behind = now - timestamp;
    if (behind <= REALTIME_RESYNC_MS) return timestamp;
    this.offsetMs += behind;
    this.resyncs++;
    return now;
  }
}
