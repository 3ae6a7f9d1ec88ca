import type { ProtocolSession } from '../session/protocol-session';
import { ClientErrorCode, type LiveStreamSnapshot } from '../state/snapshot';
import { type SnapshotStore, shallowEqual } from '../state/snapshot-store';
import type { TransportMode } from '../state/transport-mode';
import { AutoFallback, type AutoFallbackOptions } from './auto-fallback';
import type { Playback, PlaybackState } from './playback';

/** What the switch needs of the socket: it runs whichever playback plays, for the room if not for the picture. */
export type SwitchSession = Pick<ProtocolSession, 'start' | 'stop' | 'fail' | 'listen'>;

/** What a transport mode plays, and what it falls back to when the socket does not connect at first. */
export interface ModePlan {
  playback: Playback;
  fallback?: Playback;
}

export interface PlaybackSwitchDeps {
  store: SnapshotStore<LiveStreamSnapshot>;
  session: SwitchSession;
  /** Each mode's playback: a new transport is a new playback and a row here, nothing else. */
  plan: Record<TransportMode, ModePlan>;
  /** Takes the viewer's controls before the first `start`, and says `idle` until then. */
  resting: Playback;
  /** The `url` option, for the error when it cannot be resolved. */
  url: string;
  autoFallback: AutoFallbackOptions;
}

/**
 * Picks the playback the transport mode asks for, starts it with the viewer's controls (paused, volume), and is
 * the only writer of the player's status, stats, error and audioBlocked: it copies what the active playback says
 * into the snapshot, and hears no other. Before the first `start` that is the resting playback; after a `stop`,
 * the one stopped, until the next `start`.
 *
 * The socket runs beside every mode, with its usual reconnects: beside HLS it carries the room only (`select`
 * with `media: false`), so chat, reactions and the viewer count work beside any playback. Once `auto` has fallen
 * back it stays there: the socket may come back later, but only for the room, so the picture does not jump
 * between transports.
 */
export class PlaybackSwitch {
  private started = false;
  private current: Playback;
  private unfollow: () => void;
  private readonly fallback: AutoFallback;

  constructor(
    private readonly deps: PlaybackSwitchDeps,
    private modeValue: TransportMode,
  ) {
    this.fallback = new AutoFallback(deps.autoFallback, () => void this.fallBack());
    deps.session.listen({
      connectionSettled: (outcome) => {
        if (outcome === 'welcomed') this.fallback.connected();
        else this.fallback.connectionFailed();
      },
    });
    this.current = deps.resting;
    this.unfollow = this.follow(deps.resting);
  }

  /** The playback the viewer's controls go to. */
  get active(): Playback {
    return this.current;
  }

  get mode(): TransportMode {
    return this.modeValue;
  }

  get isStarted(): boolean {
    return this.started;
  }

  /** Takes effect at the next `start`. */
  setMode(mode: TransportMode): void {
    this.modeValue = mode;
  }

  /** `socketUrl` null: the `url` option could not be resolved (a relative URL without a page). */
  start(socketUrl: string | null): void {
    if (this.started) return;
    this.started = true;
    const { session } = this.deps;
    const plan = this.deps.plan[this.modeValue];
    this.activate(plan.playback);
    if (socketUrl === null) {
      session.fail(
        ClientErrorCode.ConnectionFailed,
        `cannot resolve "${this.deps.url}" without a page URL`,
        true,
      );
      return;
    }
    if (plan.fallback) this.fallback.arm();
    session.start(socketUrl);
  }

  stop(): void {
    this.started = false;
    this.fallback.disarm();
    this.deps.session.stop();
    this.current.stop();
  }

  /** Makes `next` the playback: the one before stops, `next` gets the viewer's controls, starts, and is heard. */
  private activate(next: Playback): void {
    const previous = this.current;
    this.unfollow();
    if (previous !== next) previous.stop();
    this.current = next;
    const { store } = this.deps;
    const { playing, volume, muted } = store.get();
    next.setPaused(!playing);
    next.setVolume(volume, muted);
    store.update({ transport: next.name });
    this.unfollow = this.follow(next);
    next.start();
    this.write(next.getState());
  }

  private follow(playback: Playback): () => void {
    return playback.subscribe(() => this.write(playback.getState()));
  }

  private write(state: PlaybackState): void {
    const { store } = this.deps;
    store.update({ status: state.status, error: state.error, audioBlocked: state.audioBlocked });
    if (!shallowEqual(state.stats, store.get().stats)) store.update({ stats: state.stats });
  }

  /** `auto` with a WebSocket that does not connect: switch to its fallback, if that has something to play. */
  private async fallBack(): Promise<void> {
    const target = this.deps.plan[this.modeValue].fallback;
    if (!target) return;
    const playable = await target.canPlay();
    const stillWanted = this.started && this.deps.plan[this.modeValue].fallback === target;
    if (!stillWanted || this.deps.store.get().connected || this.current === target || !playable) return;
    this.fallback.disarm();
    // The socket keeps retrying with its backoff, now for the room only.
    this.activate(target);
  }
}
