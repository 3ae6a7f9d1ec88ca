import { cleanup, render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach } from 'vitest';
import {
  LiveStreamProvider,
  type LiveStreamProviderProps,
} from '../components/provider/live-stream-provider';
import { createMockTransport, type MockServer, type MockServerOptions } from '../mock';

const servers: MockServer[] = [];

// Vitest runs without globals here, so Testing Library cannot register its own cleanup.
afterEach(() => {
  cleanup();
  for (const server of servers.splice(0)) server.close();
});

/** Renders `ui` inside a provider wired to an in-memory server; the test reads and drives `server`. */
export function renderWithMock(
  ui: ReactNode,
  options: { server?: MockServerOptions; provider?: Partial<LiveStreamProviderProps> } = {},
) {
  const transport = createMockTransport(options.server);
  servers.push(transport.server);
  const result = render(
    <LiveStreamProvider url="/live" transport={transport} {...options.provider}>
      {ui}
    </LiveStreamProvider>,
  );
  return { ...result, server: transport.server };
}
