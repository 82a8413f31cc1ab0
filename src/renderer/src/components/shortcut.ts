const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);

/** `mod+shift+N` → `Ctrl+Shift+N` or `⌘⇧N`, the way each platform prints shortcuts. */
export function shortcutLabel(hotkey: string): string {
  const parts = hotkey.split('+');
  if (isMac) {
    const mac: Record<string, string> = { mod: '⌘', shift: '⇧', alt: '⌥', ctrl: '⌃' };
    return parts.map((part) => mac[part.toLowerCase()] ?? part.toUpperCase()).join('');
  }
  const pc: Record<string, string> = { mod: 'Ctrl', shift: 'Shift', alt: 'Alt', ctrl: 'Ctrl' };
  return parts.map((part) => pc[part.toLowerCase()] ?? part.toUpperCase()).join('+');
}
