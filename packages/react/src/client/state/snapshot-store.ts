/**
 * Holds an immutable snapshot for `useSyncExternalStore`. `update` makes a new object, and notifies, only when
 * a patched value differs (Object.is), so between changes React reads the very same object and neither
 * re-renders nor loops ("getSnapshot should be cached", React docs for useSyncExternalStore).
 */
export class SnapshotStore<T extends object> {
  private snapshot: T;
  private readonly listeners = new Set<() => void>();

  constructor(initial: T) {
    this.snapshot = initial;
  }

  readonly get = (): T => this.snapshot;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  update(patch: Partial<T>): void {
    const current = this.snapshot;
    const changed = (Object.keys(patch) as (keyof T)[]).some((key) => !Object.is(patch[key], current[key]));
    if (!changed) return;
    this.snapshot = Object.freeze({ ...current, ...patch });
    for (const listener of [...this.listeners]) listener();
  }
}

/** Same keys with the same values (Object.is): for nested objects like stats rebuilt on every tick. */
export function shallowEqual<T extends object>(a: T, b: T): boolean {
  const keys = Object.keys(a) as (keyof T)[];
  return keys.length === Object.keys(b).length && keys.every((key) => Object.is(a[key], b[key]));
}
