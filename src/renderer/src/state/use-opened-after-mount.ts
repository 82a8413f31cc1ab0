import { useEffect, useState } from 'react';

/**
 * `opened`, but false on a dialog's first render. A dialog from a chunk of its own can mount already
 * open (Ctrl+K, or a click before its chunk was in); Mantine notes the element to give focus back to
 * only when `opened` changes, never on mount, so that dialog would close with the focus lost. One
 * render closed, then open, and it returns the focus to where the operator was.
 */
export function useOpenedAfterMount(opened: boolean): boolean {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  return opened && mounted;
}
