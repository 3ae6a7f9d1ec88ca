import type { IncomingMessage } from 'node:http';
import { describe, expect, it, vi } from 'vitest';
import { resolveOptions } from '../options/live-stream-options';
import type { AuthorizeContext, AuthorizeResult } from './authorize-hook';
import { visibleStreams } from './visible-streams';

const req = { url: '/live/videos', headers: {} } as IncomingMessage;
const withHook = (hook: (context: AuthorizeContext) => AuthorizeResult) =>
  resolveOptions({ authorize: hook, logger: { error: vi.fn(), warn: vi.fn() } });

describe('visibleStreams', () => {
  it('shows every stream and asks nothing without a hook', async () => {
    const { visible, refusal } = await visibleStreams(resolveOptions({}), req, ['a', 'b']);
    expect([...visible]).toEqual(['a', 'b']);
    expect(refusal).toBeNull();
  });

  it('asks the hook as a viewer of each stream and keeps those it admits', async () => {
    const hook = vi.fn((context: AuthorizeContext) => context.streamId === 'b');
    const { visible, refusal } = await visibleStreams(withHook(hook), req, ['a', 'b', 'c']);
    expect([...visible]).toEqual(['b']);
    expect(refusal).toBeNull();
    expect(hook.mock.calls.map(([context]) => [context.role, context.streamId])).toEqual([
      ['viewer', 'a'],
      ['viewer', 'b'],
      ['viewer', 'c'],
    ]);
  });

  it('gives the refusal when nothing is visible, a 401 before a 403', async () => {
    const hook = (context: AuthorizeContext): AuthorizeResult =>
      context.streamId === 'a' ? false : { status: 401, message: 'token required' };
    const { visible, refusal } = await visibleStreams(withHook(hook), req, ['a', 'b']);
    expect(visible.size).toBe(0);
    expect(refusal).toEqual({ status: 401, message: 'token required' });
  });

  it('hides a stream the hook failed on (fail closed)', async () => {
    const hook = (context: AuthorizeContext): AuthorizeResult => {
      if (context.streamId === 'a') throw new Error('database down');
      return true;
    };
    const { visible } = await visibleStreams(withHook(hook), req, ['a', 'b']);
    expect([...visible]).toEqual(['b']);
  });
});
