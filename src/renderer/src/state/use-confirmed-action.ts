import { useForm } from '@mantine/form';
import { useState } from 'react';
import type { Failure, Result, TenantView } from '../../../shared/contract/index.ts';

/**
 * A typed tenant name is judged as typed: wrong as soon as it stops being the start of the name.
 * Case-sensitive, as main compares it.
 */
export function tenantNameError(name: string, typed: string): string | null {
  const mismatch = typed.length > 0 && typed !== name && !name.startsWith(typed);
  return mismatch ? 'That is not this tenant’s name (it is case-sensitive)' : null;
}

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
  const form = useForm({
    mode: 'controlled',
    initialValues: { confirm: '' },
    validateInputOnChange: ['confirm'],
    validate: { confirm: (value) => (tenant ? tenantNameError(tenant.name, value) : null) },
  });
  const { confirm } = form.getValues();
  const [failure, setFailure] = useState<Failure | null>(null);
  const [busy, setBusy] = useState(false);
  const production = tenant?.environment === 'production';
  const matches = !production || confirm === tenant?.name;

  return {
    confirm,
    /** Main's refusal of the name, else the mismatch as typed. */
    confirmError: (form.errors.confirm as string | undefined) ?? null,
    failure,
    busy,
    production,
    matches,
    /** Typing replaces the refusal of the previous attempt with the check as typed. */
    setConfirm: (value: string) => form.setFieldValue('confirm', value),
    reset: () => {
      form.reset();
      setFailure(null);
    },
    submit: async () => {
      if (!tenant || !matches) return;
      setFailure(null);
      form.clearFieldError('confirm');
      setBusy(true);
      const result = await run(production ? confirm : undefined);
      setBusy(false);
      if (result.ok) {
        form.setFieldValue('confirm', '');
        onDone(result.value);
        return;
      }
      if (result.error.field === 'confirm') form.setFieldError('confirm', result.error.message);
      else setFailure(result.error);
    },
  };
}

/** What a dialog needs from `useConfirmedAction`, whatever the action returns. */
export type ConfirmedAction = ReturnType<typeof useConfirmedAction<unknown>>;
