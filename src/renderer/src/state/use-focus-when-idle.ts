import { useEffect, useState, type RefObject } from 'react';

/**
 * Focuses an element (by data-testid inside `container`) once `busy` is over. Focusing right after a
 * failed call races React: the inputs are still disabled until the render that clears `busy`.
 */
export function useFocusWhenIdle(container: RefObject<HTMLElement | null>, busy: boolean): (testId: string) => void {
  const [pending, setPending] = useState<string | null>(null);
  useEffect(() => {
    if (pending === null || busy) return;
    const element = container.current?.querySelector<HTMLElement>(`[data-testid="${pending}"]`);
    // A wrapper (a segmented control, a group) takes focus on its first control.
    const target = element?.matches('input, button, textarea, select')
      ? element
      : element?.querySelector<HTMLElement>('input, button, textarea, select');
    (target ?? element)?.focus();
    setPending(null);
  }, [pending, busy, container]);
  return setPending;
}
