import { useForm } from '@mantine/form';
import { useState, type FormEvent } from 'react';
import type { Failure, Result } from '../../../../shared/contract/index.ts';
import { EMPTY_PEM_INPUT, pemInputHoldsPrivateKey, pemInputPayload, type PemInputValue } from '../../components/PemInput.tsx';

/**
 * One certificate, pasted, dropped or chosen, and the call it is sent to: what the import and lint
 * dialogs share. A failure that names `pem` is shown on the field; any other goes above it.
 */
export function useCertificatePem<T>(send: (pem: string) => Promise<Result<T>>, onEdit?: () => void) {
  // Checked on submit only; an edit clears the field's error (the check's or main's).
  const form = useForm<{ pem: PemInputValue }>({
    mode: 'controlled',
    initialValues: { pem: EMPTY_PEM_INPUT },
    validate: {
      pem: (value) =>
        pemInputHoldsPrivateKey(value)
          ? 'This is a private key, not a certificate: remove it (nothing was sent).'
          : pemInputPayload(value)
            ? null
            : 'Paste the certificate, or drop or choose its file.',
    },
  });
  const [busy, setBusy] = useState(false);
  /** A failure not about the field itself, for the alert above it. */
  const [failure, setFailure] = useState<Failure | null>(null);

  /** The call's value; null if nothing was given or the call failed (the failure is shown). */
  const submit = async (event: FormEvent): Promise<T | null> => {
    event.preventDefault();
    setFailure(null);
    if (form.validate().hasErrors) return null;
    setBusy(true);
    const result = await send(pemInputPayload(form.getValues().pem));
    setBusy(false);
    if (result.ok) return result.value;
    if (result.error.field === 'pem') form.setFieldError('pem', result.error.message);
    else setFailure(result.error);
    return null;
  };

  return {
    busy,
    submit,
    failure,
    /** Spread into the PemInput, with its `testId`. */
    input: {
      label: 'Certificate (PEM)',
      value: form.getValues().pem,
      onChange: (value: PemInputValue) => {
        form.setFieldValue('pem', value);
        onEdit?.();
      },
      error: form.errors.pem,
      disabled: busy,
      accept: '.pem,.crt,.cer',
      allowDer: false,
      placeholder: '-----BEGIN CERTIFICATE-----\n…\n-----END CERTIFICATE-----',
    },
  };
}
