import { useState } from 'react';
import type { Failure, Result, TenantView } from '../../../shared/contract/index.ts';

/**
 * A destructive action on a tenant's behalf (remove the tenant, unbind a certificate): a production
 * tenant's name must be typed again before it runs. Main checks the name as well; its refusal lands
 * on the name field, any other failure in the dialog's alert.
 */
export function useConfirmedAction<T>(
  tenant: TenantView | null,
  run: (confirm: string | undefined) => Promise<Result<T>>,
  onDone: (value: T) => void,
) {
  const [confirm, setConfirmValue] = useState('');
  const [confirmError, setConfirmError] = useState<string | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [busy, setBusy] = useState(false);
  const production = tenant?.environment === 'production';
  const matches = !production || confirm === tenant?.name;

  return {
    confirm,
    confirmError,
    failure,
    busy,
    production,
    matches,
    /** Typing clears the refusal of the previous attempt. */
    setConfirm: (value: string) => {
      setConfirmValue(value);
      setConfirmError(null);
    },
    reset: () => {
      setConfirmValue('');
      setConfirmError(null);
      setFailure(null);
    },
    submit: async () => {
      if (!tenant || !matches) return;
      setFailure(null);
      setConfirmError(null);
      setBusy(true);
      const result = await run(production ? confirm : undefined);
      setBusy(false);
      if (result.ok) {
        setConfirmValue('');
        onDone(result.value);
        return;
      }
      if (result.error.field === 'confirm') setConfirmError(result.error.message);
      else setFailure(result.error);
    },
  };
}

/** What a dialog needs from `useConfirmedAction`, whatever the action returns. */
export type ConfirmedAction = ReturnType<typeof useConfirmedAction<unknown>>;
