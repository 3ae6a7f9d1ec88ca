/** Words for the default emoji, for labels like "React with heart" (a screen reader's emoji names vary). */
export const REACTION_NAMES: Readonly<Record<string, string>> = Object.freeze({
  '❤️': 'heart',
  '👍': 'thumbs up',
  '😂': 'laughter',
  '😮': 'surprise',
  '👏': 'applause',
  '🔥': 'fire',
});
