import type { MockChatLine } from '@onair/react/mock';

const NAMES = ['Ada', 'Grace', 'Linus', 'Margaret', 'Ken', 'Barbara', 'Dennis', 'Radia'];
const LINES = [
  'Is this live right now?',
  'The sound is so calm',
  'Hello from Lisbon 👋',
  'Anyone else watching on a phone?',
  'That wave was huge',
  'First time here, love it',
  'How long has this been running?',
  'Quality jumped up for me just now',
];

/** A chat that has been going for a while: `count` lines from a handful of viewers, ids `h1`, `h2`, … */
export function busyChatHistory(count: number): MockChatLine[] {
  return Array.from({ length: count }, (_, index) => ({
    id: `h${index + 1}`,
    displayName: NAMES[index % NAMES.length] ?? 'Guest',
    text: LINES[(index * 3) % LINES.length] ?? '…',
  }));
}
