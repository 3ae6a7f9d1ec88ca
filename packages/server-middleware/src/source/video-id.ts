import { MAX_VIDEO_ID_LENGTH, VIDEO_ID_PATTERN } from '@onair/protocol';

/**
 * Turns a file name or an input into an id that fits `VIDEO_ID_PATTERN` (URL-path and file-name safe):
 * accents dropped, every run of other characters becomes one '-', no leading punctuation.
 */
export function slugifyVideoId(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .replace(/-+$/, '')
    .slice(0, MAX_VIDEO_ID_LENGTH);
  return slug === '' ? 'video' : slug;
}

export function isValidVideoId(id: unknown): id is string {
  return typeof id === 'string' && id.length <= MAX_VIDEO_ID_LENGTH && VIDEO_ID_PATTERN.test(id);
}
