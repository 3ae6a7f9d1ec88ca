import { fileURLToPath } from 'node:url';
import { storybookTest } from '@storybook/addon-vitest/vitest-plugin';
import react from '@vitejs/plugin-react';
import { playwright } from '@vitest/browser-playwright';
import { configDefaults, defineConfig } from 'vitest/config';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './test/e2e/chromium';

// Every project resolves @onair/* to its src through the private "@onair/source" condition, so tests never
// need a build step.
const resolve = { conditions: ['@onair/source', 'module', 'browser', 'development|production'] };
const nodeResolve = { conditions: ['@onair/source', 'node', 'import', 'default'] };
const ssr = { resolve: { conditions: ['@onair/source'], externalConditions: ['@onair/source'] } };

// Integration tests spawn ffmpeg and a browser; on 2 cores they run one file at a time.
const integration = {
  environment: 'node' as const,
  testTimeout: 60_000,
  hookTimeout: 120_000,
  fileParallelism: false,
  globalSetup: ['test/global-setup.ts'],
};

// Stories run as tests in Debian's Chromium, never a downloaded browser; a missing binary fails the run. Each
// story runs twice, once per `prefers-color-scheme`, so axe checks the contrast of both default palettes, each
// on the page colour of its scheme (issue 11: the dark one alone was 1.1:1 on a white page).
const chromium = (colorScheme: 'light' | 'dark') =>
  playwright({
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
    contextOptions: { colorScheme },
  });

export default defineConfig({
  test: {
    projects: [
      {
        resolve: nodeResolve,
        ssr,
        test: {
          name: 'unit',
          environment: 'node',
          include: [
            'packages/protocol/src/**/*.test.ts',
            'packages/server-middleware/src/**/*.test.ts',
            // The bench's lean clients, each against the real server it stands in front of (`ws`, Node's http).
            'bench/**/*.test.ts',
          ],
        },
      },
      {
        plugins: [react()],
        resolve,
        test: {
          name: 'react',
          environment: 'jsdom',
          include: ['packages/react/src/**/*.test.{ts,tsx}'],
          setupFiles: ['packages/react/src/test-support/testing-library-setup.ts'],
          // See the setup file: slow to fail under load, never faster to pass.
          testTimeout: 20_000,
        },
      },
      {
        resolve: nodeResolve,
        ssr,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/packaging/**'],
          ...integration,
        },
      },
      {
        // The built packages packed, installed outside the workspace and used there (Next.js build, tsc, a
        // server): after `npm run build`, as `npm test` runs it.
        resolve: nodeResolve,
        ssr,
        test: {
          name: 'packaging',
          include: ['test/packaging/**/*.test.ts'],
          ...integration,
          testTimeout: 600_000,
          hookTimeout: 900_000,
        },
      },
      {
        // The host-app tests again, with Express 4 standing in for `express` everywhere (host and middleware).
        resolve: { ...nodeResolve, alias: [{ find: /^express$/, replacement: 'express4' }] },
        ssr,
        test: { name: 'integration-express4', include: ['test/server/host-*.test.ts'], ...integration },
      },
      {
        // Every story in stories/ becomes a test: it renders, its play function passes, and axe finds nothing
        // (`a11y.test = 'error'` in .storybook/preview.ts), on a light page and on a dark one.
        plugins: [storybookTest({ configDir: fileURLToPath(new URL('.storybook', import.meta.url)) })],
        resolve,
        test: {
          name: 'storybook',
          // Two browsers at once on a shared machine: a file's first story (its first render, then typing in its
          // play function) took 27 s in one run, past the default 15 s.
          testTimeout: 60_000,
          // The manual "Live server" story needs a server someone started by hand: it is tagged `!test`, and its
          // file is left out so the run never reports a skipped file.
          exclude: ['stories/live-server.stories.tsx'],
          browser: {
            enabled: true,
            headless: true,
            provider: chromium('light'),
            instances: [
              { browser: 'chromium', name: 'storybook-light', provider: chromium('light') },
              { browser: 'chromium', name: 'storybook-dark', provider: chromium('dark') },
            ],
          },
        },
      },
    ],
  },
});
