import type { Decorator, Preview } from '@storybook/react-vite';
import '@onair/react/styles.css';
import './preview.css';

/**
 * The toolbar's theme: `system` follows `prefers-color-scheme` like an app that sets nothing; `light` and `dark`
 * force a palette the way a host does, with `data-onair-theme` on <html>.
 */
const withTheme: Decorator = (Story, context) => {
  const theme = context.globals.onairTheme;
  if (theme === 'light' || theme === 'dark') document.documentElement.dataset.onairTheme = theme;
  else delete document.documentElement.dataset.onairTheme;
  return Story();
};

const preview: Preview = {
  parameters: {
    layout: 'padded',
    // Accessibility violations fail the story tests instead of only showing in the panel (issue 3, item 6).
    a11y: { test: 'error' },
  },
  globalTypes: {
    onairTheme: {
      description: 'Default theme palette',
      toolbar: {
        title: 'Theme',
        icon: 'contrast',
        items: [
          { value: 'system', title: 'System (prefers-color-scheme)' },
          { value: 'light', title: 'Light' },
          { value: 'dark', title: 'Dark' },
        ],
        dynamicTitle: true,
      },
    },
  },
  initialGlobals: { onairTheme: 'system' },
  decorators: [withTheme],
};

export default preview;
