import { defineMain } from '@storybook/react-vite/node';
import { defaultClientConditions } from 'vite';

export default defineMain({
  framework: '@storybook/react-vite',
  stories: ['../stories/**/*.stories.@(ts|tsx)'],
  // The vitest addon is registered by hand: `storybook add` would also download a browser, and the story
  // tests run in Debian's Chromium (see the `storybook` project in vitest.config.ts).
  addons: ['@storybook/addon-a11y', '@storybook/addon-vitest'],
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  // Stories import the packages' TypeScript sources, like the tests do, so no build step comes first.
  viteFinal: (config) => ({
    ...config,
    resolve: { ...config.resolve, conditions: ['@onair/source', ...defaultClientConditions] },
    // axe-core and Storybook's preview runtime are large by nature, and this build is never shipped to viewers.
    build: { ...config.build, chunkSizeWarningLimit: 1_500 },
  }),
});
