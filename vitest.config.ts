import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

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

export default defineConfig({
  test: {
    projects: [
      {
        resolve: nodeResolve,
        ssr,
        test: {
          name: 'unit',
          environment: 'node',
          include: ['packages/protocol/src/**/*.test.ts', 'packages/server-middleware/src/**/*.test.ts'],
        },
      },
      {
        plugins: [react()],
        resolve,
        test: {
          name: 'react',
          environment: 'jsdom',
          include: ['packages/react/src/**/*.test.{ts,tsx}'],
        },
      },
      {
        resolve: nodeResolve,
        ssr,
        test: { name: 'integration', include: ['test/**/*.test.ts'], ...integration },
      },
      {
        // The host-app tests again, with Express 4 standing in for `express` everywhere (host and middleware).
        resolve: { ...nodeResolve, alias: [{ find: /^express$/, replacement: 'express4' }] },
        ssr,
        test: { name: 'integration-express4', include: ['test/server/host-*.test.ts'], ...integration },
      },
    ],
  },
});
