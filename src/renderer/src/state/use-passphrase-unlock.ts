import { useForm } from '@mantine/form';
import { useState, type FormEvent } from 'react';
import { api } from '../bridge.ts';
import { useAppData } from './app-data.tsx';

/**
 * The passphrase field and its `vault:unlock` call, shared by the Settings form and the unlock
 * dialog. It calls the bridge directly, not through useCall: the lock is what it resolves.
 */
export function usePassphraseUnlock() {
  const { setVault } = useAppData();
  // Checked on submit only; typing clears the last error. The passphrase is dropped once it unlocks.
  const form = useForm({
    mode: 'controlled',
    initialValues: { passphrase: '' },
    validate: { passphrase: (value) => (value ? null : 'Enter the passphrase.') },
  });
  const [busy, setBusy] = useState(false);

  /** Resolves `true` once the vault is unlocked; a failure is shown on the field instead. */
  const submit = async (event: FormEvent): Promise<boolean> => {
    event.preventDefault();
    if (form.validate().hasErrors) return false;
    setBusy(true);
    const result = await api.invoke('vault:unlock', { passphrase: form.getValues().passphrase });
    setBusy(false);
    if (!result.ok) {
      // Every unlock failure is about the passphrase, whatever field the server named.
      form.setFieldError('passphrase', result.error.message);
      return false;
    }
    form.setFieldValue('passphrase', '');
    setVault(result.value);
    return true;
  };

  return {
    busy,
    submit,
    /** Empties the field and its error (stable across renders). */
    reset: form.reset,
    /** Spread into the PasswordInput; typing clears the last error. */
    input: { ...form.getInputProps('passphrase'), disabled: busy },
  };
}
