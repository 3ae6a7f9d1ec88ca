import { Reactions, VideoSelector, ViewerCount } from '@onair/react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, waitFor, within } from 'storybook/test';
import { onMockServer } from './mock-stream';
import './theme.css';

/**
 * `data-onair-theme` forces a palette whatever the viewer's colour scheme: the story tests run under both schemes,
 * so axe checks each forced palette on a page of the opposite scheme too.
 */
function ForcedThemes() {
  return (
    <div className="theme-panels">
      {(['light', 'dark'] as const).map((theme) => (
        <section key={theme} className="theme-panel" data-onair-theme={theme} aria-label={`${theme} theme`}>
          <ViewerCount locale="en-US" />
          <VideoSelector label={`Videos (${theme})`} />
          <Reactions label={`Reactions (${theme})`} />
        </section>
      ))}
    </div>
  );
}

const meta = {
  title: 'Theming/Forced palette',
  component: ForcedThemes,
  ...onMockServer({ server: { room: { viewers: 42 } } }),
} satisfies Meta<typeof ForcedThemes>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Dark text on the light panel and light text on the dark one, whichever scheme the page is in. */
export const ForcedPalette: Story = {
  play: async ({ canvas }) => {
    const titleColor = async (theme: string) => {
      const panel = within(canvas.getByRole('region', { name: `${theme} theme` }));
      const title = await waitFor(() => panel.getByText('Ocean'));
      return getComputedStyle(title).color;
    };
    await expect(await titleColor('light')).toBe('rgb(24, 24, 27)');
    await expect(await titleColor('dark')).toBe('rgb(245, 245, 247)');
  },
};
