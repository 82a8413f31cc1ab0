import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import { useHotkeys } from '@mantine/hooks';

/** What the mounted command palette lends the shell (through `useImperativeHandle`): its list's keys and its field. */
export interface PaletteHandle {
  /** The list's own keys (arrows, Enter); true when `key` was one of them. */
  navigate: (key: string) => boolean;
  focus: () => void;
  hasFocus: () => boolean;
}

/** The palette's query; `edit` counts every change and every opening, so a highlight belongs to one of them. */
export interface PaletteQuery {
  text: string;
  edit: number;
}

/** The list's keys pressed before the palette was there: rows moved down (negative: up), and whether Enter followed. */
export interface KeysAhead {
  steps: number;
  enter: boolean;
}

export interface PaletteState {
  opened: boolean;
  /** Asked for once: the palette's chunk is mounted from the first Ctrl+K on. */
  mounted: boolean;
  close: () => void;
  query: PaletteQuery;
  setText: (text: string) => void;
  handle: RefObject<PaletteHandle | null>;
  /** The keys the palette should replay as it opens, once: what was pressed before it was there. */
  takeKeysAhead: () => KeysAhead;
}

const NONE: KeysAhead = { steps: 0, enter: false };

/**
 * The command palette's state, held by the shell, which owns Ctrl+K: the palette is a chunk of its own.
 * Keys typed after Ctrl+K before the palette's field has focus go to the palette, not to the page beneath
 * or nowhere: the field takes focus a frame or two after the palette opens (the modal opens, then traps
 * focus), and on the first Ctrl+K of a session the palette's chunk may still be on its way. Characters go
 * to the query; the list's keys go to the palette, or wait for it (`takeKeysAhead`); Tab waits too, since
 * it would move the focus on the page beneath. Escape closes the palette, not a dialog beneath it.
 */
export function usePaletteState(): PaletteState {
  const [state, setState] = useState({ opened: false, mounted: false });
  const [query, setQuery] = useState<PaletteQuery>({ text: '', edit: 0 });
  const handle = useRef<PaletteHandle | null>(null);
  const ahead = useRef<KeysAhead>(NONE);

  const edit = useCallback((update: (text: string) => string) => setQuery((q) => ({ text: update(q.text), edit: q.edit + 1 })), []);
  const setText = useCallback((text: string) => edit(() => text), [edit]);
  const close = useCallback(() => {
    setState((current) => ({ ...current, opened: false }));
    edit(() => '');
  }, [edit]);
  useHotkeys(
    [
      [
        'mod+K',
        () => {
          ahead.current = NONE;
          setState((current) => ({ opened: !current.opened, mounted: true }));
          // Opening or closing, the query starts again: an opening shows every command with the first row
          // highlighted, however the last one ended (Escape, a choice, or Ctrl+K itself, which kept it before).
          edit(() => '');
        },
      ],
    ],
    [],
  );
  const takeKeysAhead = useCallback(() => {
    const taken = ahead.current;
    ahead.current = NONE;
    return taken;
  }, []);

  const latestClose = useRef(close);
  latestClose.current = close;
  const { opened } = state;
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
      if (event.key.length === 1) edit((typed) => typed + event.key);
      else if (event.key === 'Backspace') edit((typed) => typed.slice(0, -1));
      else if (palette) {
        if (!palette.navigate(event.key)) return;
      } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        const { steps, enter } = ahead.current;
        if (!enter) ahead.current = { steps: steps + (event.key === 'ArrowDown' ? 1 : -1), enter };
      } else if (event.key === 'Enter') ahead.current = { ...ahead.current, enter: true };
      else if (event.key !== 'Tab') return;
      event.preventDefault();
      event.stopPropagation();
      palette?.focus();
    };
    window.addEventListener('keydown', early, true);
    return () => window.removeEventListener('keydown', early, true);
  }, [opened, edit]);

  return { opened, mounted: state.mounted, close, query, setText, handle, takeKeysAhead };
}
