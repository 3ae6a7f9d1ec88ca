import type { CSSProperties } from 'react';

// Inline, not in the stylesheet: text for screen readers must stay invisible when the app ships no CSS of ours.
export const VISUALLY_HIDDEN: CSSProperties = {
  position: 'absolute',
  width: 1,
  height: 1,
  margin: -1,
  padding: 0,
  overflow: 'hidden',
  clipPath: 'inset(50%)',
  whiteSpace: 'nowrap',
  border: 0,
};
