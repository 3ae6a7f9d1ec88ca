import { useEffect, useLayoutEffect } from 'react';

// A layout effect in the browser (it runs before paint and before the children's passive effects); on the
// server neither runs, and useEffect there avoids React 18's warning about useLayoutEffect.
export const useIsomorphicLayoutEffect = typeof window === 'undefined' ? useEffect : useLayoutEffect;
