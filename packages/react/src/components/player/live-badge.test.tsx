import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EMPTY_STATS, initialSnapshot, type LiveStreamStats } from '../../client/state/snapshot';
import type { UseLiveStreamResult } from '../../hooks/use-live-stream';
import { behindLiveText, LiveBadge, NoSoundIndicator } from './live-badge';
import { StatsReadout } from './stats-readout';

afterEach(cleanup);

function player(stats: Partial<LiveStreamStats>, extra: Partial<UseLiveStreamResult> = {}) {
  return {
    ...initialSnapshot('ws', 'ws'),
    status: 'live',
    stats: { ...EMPTY_STATS, ...stats },
    jumpToLive: vi.fn(),
    ...extra,
  } as unknown as UseLiveStreamResult;
}

describe('<LiveBadge>', () => {
  it('says LIVE, lit, at the live edge', () => {
    render(<LiveBadge player={player({ liveDistanceMs: 300, atLiveEdge: true })} />);
    const badge = screen.getByText('LIVE');
    expect(badge.hasAttribute('data-live')).toBe(true);
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('says how far behind beyond the threshold, and a click jumps back to live', async () => {
    const behind = player({ liveDistanceMs: 3_400, atLiveEdge: false });
    render(<LiveBadge player={behind} />);
    const button = screen.getByRole('button', { name: '3 s behind live: jump to live' });
    expect(button.textContent).toBe('\u22123 s');
    expect(button.getAttribute('data-behind')).toBe('3');
    await userEvent.setup().click(button);
    expect(behind.jumpToLive).toHaveBeenCalledOnce();
  });

  it('keeps the focus on the badge when its button goes, back at live', async () => {
    const { rerender } = render(<LiveBadge player={player({ liveDistanceMs: 3_400, atLiveEdge: false })} />);
    screen.getByRole('button').focus();
    rerender(<LiveBadge player={player({ liveDistanceMs: 300, atLiveEdge: true })} />);
    expect(document.activeElement).toBe(screen.getByText('LIVE'));
    // Not a Tab stop of its own.
    expect(screen.getByText('LIVE').tabIndex).toBe(-1);
  });

  it('leaves the focus alone when the button was not focused', () => {
    const { rerender } = render(<LiveBadge player={player({ liveDistanceMs: 3_400, atLiveEdge: false })} />);
    rerender(<LiveBadge player={player({ liveDistanceMs: 300, atLiveEdge: true })} />);
    expect(document.activeElement).toBe(document.body);
  });

  it('never says less than a second behind', () => {
    expect(behindLiveText(200)).toBe('\u22121 s');
  });
});

describe('<NoSoundIndicator>', () => {
  it('shows while the stream has sound and none plays, not when the viewer muted it', () => {
    const { rerender } = render(<NoSoundIndicator player={player({ audioState: 'silent' })} />);
    expect(screen.getByText('No sound')).toBeTruthy();
    rerender(<NoSoundIndicator player={player({ audioState: 'silent' }, { muted: true })} />);
    expect(screen.queryByText('No sound')).toBeNull();
    rerender(<NoSoundIndicator player={player({ audioState: 'silent' }, { playing: false })} />);
    expect(screen.queryByText('No sound')).toBeNull();
    rerender(<NoSoundIndicator player={player({ audioState: 'playing' })} />);
    expect(screen.queryByText('No sound')).toBeNull();
  });
});

describe('<StatsReadout>', () => {
  it('shows the audio path and codec, the audio gaps, the distance to live, the drops of this device', () => {
    const stats = {
      ...EMPTY_STATS,
      rung: 2,
      quality: 70,
      audioPath: 'scheduled',
      audioCodec: 'pcm',
      audioState: 'playing',
      audioGapMs: 120,
      liveDistanceMs: 640,
      audioDistanceMs: 610,
      droppedFrames: 9,
      renderDroppedFrames: 4,
      maxFps: 15,
    } as const;
    render(<StatsReadout id="s" stats={stats} rungLabel="480p · high" />);
    const row = (key: string) => document.querySelector(`[data-stat="${key}"] dd`)?.textContent;
    expect(row('quality')).toBe('480p · high (rung 2)');
    expect(row('audio')).toBe('scheduled · pcm');
    expect(row('audio-gaps')).toBe('120 ms');
    expect(row('behind-live')).toBe('640 ms');
    expect(row('audio-behind-live')).toBe('610 ms');
    expect(row('dropped')).toBe('9 (4 by this device)');
    expect(row('max-fps')).toBe('15 fps');
  });
});
