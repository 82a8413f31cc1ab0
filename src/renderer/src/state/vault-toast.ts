import { notifications, type NotificationData } from '@mantine/notifications';

/** The toast the key store's last change showed, while it may still be on screen. */
let shown: string | null = null;

/**
 * One toast for the key store's state at a time: set up, locked, unlocked, passphrase changed. Each
 * replaces the one before rather than stacking on it; four stacked in the corner covered the Settings
 * page's own Unlock button, and a toast under the pointer stays open.
 */
export function showVaultToast(toast: Omit<NotificationData, 'id' | 'color'>): void {
  if (shown) notifications.hide(shown);
  shown = notifications.show({ ...toast, color: 'teal' });
}

/** Said alike wherever the keys are locked from: Settings' "Lock now" and the command palette. */
export const KEYS_LOCKED = { title: 'Keys locked', message: 'The key left memory; the next signing asks for the passphrase.' } as const;
