// @vitest-environment node
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// The render runs in a fresh Node process (the way `npm start` loads sources: tsx plus the @onair/source
// condition), so nothing of jsdom can leak in, and any DOM access at module scope in the package or its mock
// entry would crash the import.
const RENDER_ON_SERVER = `
import { createElement as h } from 'react';
import { renderToString } from 'react-dom/server';
import {
  LiveStreamPlayer, LiveStreamProvider, Reactions, ReactionsOverlay, StreamChat, VideoSelector, ViewerCount,
} from '@onair/react';
import { createMockTransport } from '@onair/react/mock';
const withWebSocket = renderToString(
  h(LiveStreamProvider, { url: '/live' }, h(LiveStreamPlayer), h(VideoSelector)),
);
const withMock = renderToString(
  h(LiveStreamProvider, { url: 'http://localhost:3000/live', transport: createMockTransport(), initialVideoId: 'ocean' },
    h(LiveStreamPlayer)),
);
const social = renderToString(
  h(LiveStreamProvider, { url: '/live', transport: createMockTransport({ room: { viewers: 5 } }) },
    h(LiveStreamPlayer, null, h(ReactionsOverlay)), h(StreamChat), h(Reactions), h(ViewerCount)),
);
const withHls = renderToString(
  h(LiveStreamProvider, { url: '/live', transportMode: 'hls' }, h(LiveStreamPlayer, { transportMode: 'hls' })),
);
process.stdout.write(
  JSON.stringify({ hasWindow: typeof window !== 'undefined', withWebSocket, withMock, social, withHls }),
);
`;

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

describe('server rendering', () => {
  it('renders provider, player, selector, chat, reactions and viewer count in plain Node without a DOM', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--conditions=@onair/source', '--import', 'tsx', '--input-type=module', '-e', RENDER_ON_SERVER],
      { cwd: repositoryRoot, timeout: 30_000 },
    );
    const rendered = JSON.parse(stdout) as {
      hasWindow: boolean;
      withWebSocket: string;
      withMock: string;
      social: string;
      withHls: string;
    };
    expect(rendered.hasWindow).toBe(false);
    expect(rendered.withWebSocket).toContain('data-state="idle"');
    expect(rendered.withWebSocket).toContain('data-transport="ws"');
    expect(rendered.withWebSocket).toContain('Loading videos…');
    expect(rendered.withMock).toContain('data-transport="mock"');
    expect(rendered.withMock).toContain('aria-label="Pause"');
    expect(rendered.social).toContain('role="log"');
    expect(rendered.social).toContain('No messages yet');
    expect(rendered.social).toContain('React with heart');
    expect(rendered.social).toContain('class="onair-reactions-overlay"');
    expect(rendered.social).toContain('Viewer count not available yet');
    expect(rendered.withHls).toContain('data-transport="hls"');
    expect(rendered.withHls).toContain('class="onair-player__video"');
  }, 30_000);

  it('imports hls.js nowhere at module scope: only `import type` and the dynamic import in hls-js.ts', () => {
    const sourceRoot = fileURLToPath(new URL('./', import.meta.url));
    const files = (readdirSync(sourceRoot, { recursive: true }) as string[]).filter(
      (file) => /\.tsx?$/.test(file) && !/\.test\.tsx?$/.test(file),
    );
    // Comments may name the import; code may not.
    const code = (file: string) =>
      readFileSync(path.join(sourceRoot, file), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    const importers = files.filter((file) =>
      /^import (?!type)[^;]*['"]hls\.js(\/light)?['"]/m.test(code(file)),
    );
    const dynamic = files.filter((file) => /import\('hls\.js(\/light)?'\)/.test(code(file)));
    expect(importers).toEqual([]);
    expect(dynamic).toEqual([path.join('client', 'hls', 'hls-js.ts')]);
  });
});
