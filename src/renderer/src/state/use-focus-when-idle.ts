import { useEffect, useState, type RefObject } from 'react';

/**
 * Focuses an element (by data-testid inside `container`) once `busy` is over. Focusing right after a
 * failed call races React: the inputs are still disabled until the render that clears `busy`.
 */
export function useFocusWhenIdle(container: RefObject<HTMLElement | null>, busy: boolean): (testId: string) => void {
  const [pending, setPending] = useState<string | null>(null);
  useEffect(() => {
    if (pending === null || busy) return;
    container.current?.querySelector<HTMLElement>(`[data-testid="${pending}"]`)?.focus();
    setPending(null);
  }, [pending, busy, container]);
  return setPending;
}
