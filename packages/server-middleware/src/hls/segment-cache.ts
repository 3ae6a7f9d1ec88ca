import { readFile } from 'node:fs/promises';

/**
 * The bytes of recent segments, read from disk once. A segment never changes once a playlist lists it (numbers
 * come from the epoch clock and are never reused), and every player at the live edge asks for the same newest
 * few, so a thousand requests for one segment cost one read instead of a thousand stat + open + read + close.
 * Least recently used entries go first; the bound keeps memory at about `maxEntries` segments.
 */
export class SegmentCache {
  private readonly entries = new Map<string, Promise<Buffer>>();

  constructor(private readonly maxEntries: number) {}

  read(file: string): Promise<Buffer> {
    const cached = this.entries.get(file);
    if (cached) {
      // Map keeps insertion order: moving the entry to the end makes the first key the least recently used.
      this.entries.delete(file);
      this.entries.set(file, cached);
      return cached;
    }
    const reading = readFile(file);
    this.entries.set(file, reading);
    // A failed read (the segment left the window and was deleted) must not stay cached.
    reading.catch(() => this.entries.delete(file));
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return reading;
  }

  clear(): void {
    this.entries.clear();
  }
}
