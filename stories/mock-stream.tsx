import { LiveStreamProvider, type LiveStreamProviderProps } from '@onair/react';
import {
  createCanvasPicture,
  createMockTransport,
  MockServer,
  type MockServerOptions,
  type MockTransport,
} from '@onair/react/mock';
import { type ReactNode, useEffect } from 'react';

export interface MockStreamOptions {
  server?: MockServerOptions;
  provider?: Partial<Omit<LiveStreamProviderProps, 'transport' | 'children'>>;
}

/** Long enough that a story (or its test) never sees the socket open. */
export const NEVER_MS = 24 * 60 * 60 * 1000;

/**
 * The stories' picture and sound (issue 12: a still solid colour looked broken): a moving test card drawn on a
 * canvas and a beep on each second, in step with its flash, all made in the browser. One for the whole
 * Storybook, so each video's frames are drawn and encoded once.
 */
const STORY_MEDIA: Pick<MockServerOptions, 'picture' | 'sound'> = {
  picture: createCanvasPicture(),
  sound: 'beep',
};

/**
 * A story's in-memory OnAir server. It is made in a loader, not in render, so the play function drives the
 * same server the components talk to (`mockServer(context)`), and a re-render keeps it.
 */
export function mockStreamLoader(options: MockStreamOptions = {}) {
  return () => ({
    mockTransport: createMockTransport({ ...STORY_MEDIA, ...options.server }),
    mockProvider: options.provider ?? {},
  });
}

/**
 * Wraps the story in a `<LiveStreamProvider>` on the loader's server, closed when the story unmounts. Typed by
 * what it reads rather than as `Decorator`, so it fits stories of any args.
 */
export const withMockStream = (Story: () => ReactNode, context: { loaded: Record<string, unknown> }) => (
  <MockStreamProvider
    transport={mockTransport(context.loaded)}
    provider={context.loaded.mockProvider as MockStreamOptions['provider']}
  >
    <Story />
  </MockStreamProvider>
);

/** Loader and decorator together: `...onMockServer({ server: { videos: [] } })` in a meta or a story. */
export function onMockServer(options: MockStreamOptions = {}) {
  return { loaders: [mockStreamLoader(options)], decorators: [withMockStream] };
}

/** The server of a story that uses `mockStreamLoader`, for play functions to drive and inspect. */
export function mockServer(context: { loaded: Record<string, unknown> }): MockServer {
  return mockTransport(context.loaded).server;
}

function mockTransport(loaded: Record<string, unknown>): MockTransport {
  const transport = loaded.mockTransport as MockTransport | undefined;
  if (!(transport?.server instanceof MockServer)) {
    throw new Error('this story needs `loaders: [mockStreamLoader()]` beside `decorators: [withMockStream]`');
  }
  return transport;
}

function MockStreamProvider({
  transport,
  provider,
  children,
}: {
  transport: MockTransport;
  provider: MockStreamOptions['provider'];
  children: ReactNode;
}) {
  useEffect(() => () => transport.server.close(), [transport]);
  return (
    <LiveStreamProvider url="/live" transport={transport} {...provider}>
      {children}
    </LiveStreamProvider>
  );
}
