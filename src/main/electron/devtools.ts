/**
 * The keyboard shortcuts that open Chromium's developer tools. A packaged build turns DevTools off
 * (`webPreferences.devTools`) and also swallows these keys, so no menu accelerator or Chromium
 * default can bring the tools up on an operator's machine. No Electron import: unit tests load it.
 */

/** The fields of Electron's `Input` (before-input-event) this looks at. */
export interface KeyInput {
  key: string;
  control: boolean;
  meta: boolean;
  shift: boolean;
  alt: boolean;
}

/** F12; Ctrl+Shift+I/J/C (Linux, Windows); Cmd+Option+I/J/C and Cmd+Shift+C (macOS). */
export function isDevToolsShortcut(input: KeyInput): boolean {
  const key = input.key.toLowerCase();
  if (key === 'f12') return true;
  if (key !== 'i' && key !== 'j' && key !== 'c') return false;
  return (input.control && input.shift) || (input.meta && input.alt) || (input.meta && input.shift && key === 'c');
}
