import { act, renderHook } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DISPLAY_NAME_STORAGE_KEY } from '../client/room/display-name';
import { useDisplayName } from './use-display-name';

afterEach(() => {
  localStorage.clear();
  vi.restoreAllMocks();
});

describe('useDisplayName', () => {
  it('shares a change at once with every hook on the same key', () => {
    const a = renderHook(() => useDisplayName());
    const b = renderHook(() => useDisplayName());
    expect(a.result.current.name).toBe(b.result.current.name);
    act(() => {
      expect(a.result.current.setName('Cleo\u202E')).toEqual({ ok: true, name: 'Cleo' });
    });
    expect(b.result.current.name).toBe('Cleo');
    expect(localStorage.getItem(DISPLAY_NAME_STORAGE_KEY)).toBe('Cleo');
  });

  it('follows a name chosen in another tab (the storage event)', () => {
    const { result } = renderHook(() => useDisplayName());
    act(() => {
      localStorage.setItem(DISPLAY_NAME_STORAGE_KEY, 'From another tab');
      window.dispatchEvent(new StorageEvent('storage', { key: DISPLAY_NAME_STORAGE_KEY }));
    });
    expect(result.current.name).toBe('From another tab');
  });

  it('keeps the name for the page when the browser refuses storage (private mode), without throwing', () => {
    vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('quota', 'QuotaExceededError');
    });
    vi.spyOn(Storage.prototype, 'getItem').mockImplementation(() => {
      throw new DOMException('denied', 'SecurityError');
    });
    const { result } = renderHook(() => useDisplayName({ storageKey: 'refused' }));
    expect(result.current.name).toMatch(/^Guest-/);
    act(() => {
      result.current.setName('Dee');
    });
    expect(result.current.name).toBe('Dee');
  });

  it('is not editable when the host names the viewer', () => {
    const { result } = renderHook(() => useDisplayName({ hostName: ' Host Name ' }));
    expect(result.current).toMatchObject({ name: 'Host Name', editable: false });
  });
});
