import { useCallback, useState, type ChangeEvent, type FormEvent } from 'react';
import { api } from '../bridge.ts';
import { useAppData } from './app-data.tsx';

/**
 * The passphrase field and its `vault:unlock` call, shared by the Settings form and the unlock
 * dialog. It calls the bridge directly, not through useCall: the lock is what it resolves.
 */
export function usePassphraseUnlock() {
  const { setVault } = useAppData();
  const [passphrase, setPassphrase] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  /** Resolves `true` once the vault is unlocked; a failure is shown on the field instead. */
  const submit = async (event: FormEvent): Promise<boolean> => {
    event.preventDefault();
    if (!passphrase) {
      setError('Enter the passphrase.');
      return false;
    }
    setBusy(true);
    const result = await api.invoke('vault:unlock', { passphrase });
    setBusy(false);
    if (!result.ok) {
      // Every unlock failure is about the passphrase, whatever field the server named.
      setError(result.error.message);
      return false;
    }
    setPassphrase('');
    setVault(result.value);
    return true;
  };

  const reset = useCallback(() => {
    setPassphrase('');
    setError(null);
  }, []);

  return {
    busy,
    submit,
    reset,
    /** Spread into the PasswordInput; typing clears the last error. */
    input: {
      value: passphrase,
      onChange: (event: ChangeEvent<HTMLInputElement>) => {
        setPassphrase(event.currentTarget.value);
        setError(null);
      },
      error,
      disabled: busy,
    },
  };
}
