import { useEffect, useRef, type Dispatch, type RefObject, type SetStateAction } from 'react';

/** What the mounted command palette lends the shell (through `useImperativeHandle`): its list's keys and its field. */
export interface PaletteHandle {
  /** The list's own keys (arrows, Enter); true when `key` was one of them. */
  navigate: (key: string) => boolean;
  focus: () => void;
  hasFocus: () => boolean;
}

/**
 * The keys typed after Ctrl+K before the palette's field has focus: they go to the palette, not to the page
 * beneath or nowhere. The field takes focus a frame or two after the palette opens (the modal opens, then
 * traps focus), and on the first Ctrl+K of a session the palette's chunk may still be on its way; the shell
 * owns this listener and the query, so what is typed meanwhile is kept either way. Escape closes the palette,
 * not a dialog beneath it.
 */
export function usePaletteTyping(
  opened: boolean,
  setQuery: Dispatch<SetStateAction<string>>,
  close: () => void,
): RefObject<PaletteHandle | null> {
  const handle = useRef<PaletteHandle | null>(null);
  const latestClose = useRef(close);
  latestClose.current = close;
  useEffect(() => {
    if (!opened) return;
    const early = (event: KeyboardEvent) => {
      const palette = handle.current;
      if (!event.isTrusted || palette?.hasFocus()) return;
      if (event.key === 'Escape') {
        event.preventDefault();
        event.stopPropagation();
        return latestClose.current();
      }
      // An input method starting to compose (or a dead key) types into the field once it has focus.
      if (event.isComposing || event.key === 'Process' || event.key === 'Dead') return palette?.focus();
      // Shortcuts are left alone; AltGr (reported as Ctrl+Alt on Windows) types characters such as @ and {.
      if ((event.ctrlKey || event.metaKey || event.altKey) && !event.getModifierState('AltGraph')) return;
      if (event.key.length === 1) setQuery((typed) => typed + event.key);
      else if (event.key === 'Backspace') setQuery((typed) => typed.slice(0, -1));
      else if (!palette?.navigate(event.key)) return;
      event.preventDefault();
      event.stopPropagation();
      palette?.focus();
    };
    window.addEventListener('keydown', early, true);
    return () => window.removeEventListener('keydown', early, true);
  }, [opened, setQuery]);
  return handle;
}
