import { useEffect } from 'react';
import { api } from '../bridge.ts';
import { useAppData } from '../state/app-data.tsx';
import { showVaultToast } from '../state/vault-toast.ts';

/**
 * The key store changed in the service: set up, unlocked or locked from another window, or locked by itself
 * once idle. The header and Settings show it at once, not at the next call that meets the lock. The idle
 * lock, which no window asked for, also says so in a toast.
 */
export function VaultChanges() {
  const { setVault } = useAppData();
  useEffect(
    () =>
      api.onEvent((event) => {
        if (event.type !== 'vault') return;
        setVault(event.vault);
        if (event.change === 'idle-lock') {
          const minutes = event.vault.idleLockMinutes;
          showVaultToast({
            title: 'Keys locked',
            message: `No key was used for ${minutes === undefined ? 'a while' : `${minutes} minute${minutes === 1 ? '' : 's'}`}, so the key left memory; the next signing asks for the passphrase.`,
          });
        }
      }),
    [setVault],
  );
  return null;
}
