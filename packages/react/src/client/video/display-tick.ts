/** The next display refresh, or a 60 Hz timer where there is no requestAnimationFrame; returns the cancel. */
export function requestDisplayTick(callback: () => void): () => void {
  if (typeof requestAnimationFrame === 'function') {
    const id = requestAnimationFrame(callback);
    return () => cancelAnimationFrame(id);
  }
  const id = setTimeout(callback, 16);
  return () => clearTimeout(id);
}
