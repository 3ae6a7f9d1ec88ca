import { screen, waitFor } from '@testing-library/react';
import axe from 'axe-core';
import { describe, expect, it } from 'vitest';
import { renderWithMock } from '../../test-support/render-with-mock';
import { ViewerCount } from './viewer-count';

const count = () => screen.getByRole('status');

describe('<ViewerCount>', () => {
  it('says the count is unknown until the room reports it, then renders it', async () => {
    renderWithMock(<ViewerCount />, {
      server: { room: { viewers: 1234 } },
      provider: { initialVideoId: 'sunset' },
    });
    expect(count().getAttribute('data-state')).toBe('unknown');
    expect(count().getAttribute('aria-label')).toBe('Viewer count not available yet');
    await waitFor(() => expect(count().getAttribute('data-state')).toBe('counted'));
    expect(count().textContent).toBe('1,234 watching');
    expect(count().getAttribute('aria-label')).toBe('1,234 people watching');
    expect(count().getAttribute('data-count')).toBe('1234');
    expect(count().getAttribute('aria-live')).toBe('off');
  });

  it('updates when the server sends viewers', async () => {
    const { server } = renderWithMock(<ViewerCount />, { provider: { initialVideoId: 'sunset' } });
    await waitFor(() => expect(count().textContent).toBe('1 watching'));
    expect(count().getAttribute('aria-label')).toBe('1 person watching');
    server.setViewers(42);
    await waitFor(() => expect(count().textContent).toBe('42 watching'));
  });

  it('stays unknown with a server that has no rooms', async () => {
    const { server } = renderWithMock(<ViewerCount />, {
      server: { room: false },
      provider: { initialVideoId: 'sunset' },
    });
    await waitFor(() => expect(server.messagesOfType('select')).toHaveLength(1));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(count().getAttribute('data-state')).toBe('unknown');
  });

  it('has no axe violations', async () => {
    const { container } = renderWithMock(<ViewerCount />, { provider: { initialVideoId: 'sunset' } });
    await waitFor(() => expect(count().getAttribute('data-state')).toBe('counted'));
    expect((await axe.run(container)).violations).toEqual([]);
  });
});
