/** "1:05", "1:02:03"; null (an endless input) reads as "Live". */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return 'Live';
  const total = Math.max(0, Math.floor(seconds));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const secs = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${secs}` : `${minutes}:${secs}`;
}

/** ISO 8601 duration for `<time dateTime>`, e.g. "PT65S". */
export function isoDuration(seconds: number): string {
  return `PT${Math.max(0, Math.floor(seconds))}S`;
}
