import type { Preview } from '@storybook/react-vite';
import '@onair/react/styles.css';
import './preview.css';

const preview: Preview = {
  parameters: {
    layout: 'padded',
    // Accessibility violations fail the story tests instead of only showing in the panel (issue 3, item 6).
    a11y: { test: 'error' },
  },
};

export default preview;
