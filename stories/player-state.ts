import { expect, waitFor } from 'storybook/test';

// The mock answers in milliseconds, but the first frame still waits for a JPEG decode and the playout delay,
// and the story tests share two cores with everything else.
const STATE_TIMEOUT_MS = 5_000;

/** Waits until a component root shows `data-state="<state>"` (the contract the README documents). */
export async function waitForDataState(root: HTMLElement, state: string): Promise<void> {
  await waitFor(() => expect(root).toHaveAttribute('data-state', state), { timeout: STATE_TIMEOUT_MS });
}
