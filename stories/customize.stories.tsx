import { LiveStreamPlayer, VideoSelector } from '@onair/react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, waitFor, within } from 'storybook/test';
import { onMockServer } from './mock-stream';
import { waitForDataState } from './player-state';
import './customize.css';

/** An app's own look on top of the default theme: see customize.css for the whole override. */
function BrandedPlayer() {
  return (
    <div className="brand-theme">
      <LiveStreamPlayer />
      <VideoSelector />
    </div>
  );
}

const meta = {
  title: 'Theming/Customize',
  component: BrandedPlayer,
  ...onMockServer(),
} satisfies Meta<typeof BrandedPlayer>;

export default meta;
type Story = StoryObj<typeof meta>;

/**
 * CSS variables on an ancestor recolour the components; `data-*` selectors restyle their states. The play
 * function checks that the overrides reach the elements, so a stylesheet that shadows them fails here.
 */
export const Customize: Story = {
  play: async ({ canvas, canvasElement, userEvent }) => {
    const player = canvas.getByRole('region', { name: 'Live video' });
    await waitForDataState(player, 'live');
    // The player's badge (each selector card says LIVE too).
    const badge = within(player).getByText('LIVE');
    await expect(getComputedStyle(badge).backgroundColor).toBe('rgb(185, 28, 28)');
    await expect(getComputedStyle(player).fontFamily).toMatch(/^Georgia/);
    await expect(getComputedStyle(player).borderRadius).toBe('0px');
    await expect(getComputedStyle(badge, '::before').content).toBe('"● "');
    // The statistics toggle sits in the player's Settings (issue 12): opened, the brand's rule hides it there.
    await userEvent.click(canvas.getByRole('button', { name: 'Settings' }));
    await expect(canvasElement.querySelector('[data-control="stats"]')).not.toBeVisible();
    await userEvent.click(canvas.getByRole('button', { name: 'Settings' }));

    const sunset = canvas.getByRole('option', { name: /Sunset/ });
    await userEvent.click(sunset);
    await waitFor(() => expect(getComputedStyle(sunset).boxShadow).toContain('rgb(245, 158, 11)'));
  },
};
