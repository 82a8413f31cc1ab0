import { useState, type FormEvent } from 'react';
import type { Failure, Result } from '../../../../shared/contract/index.ts';
import { EMPTY_PEM_INPUT, pemInputPayload, type PemInputValue } from '../../components/PemInput.tsx';

/**
 * One certificate, pasted, dropped or chosen, and the call it is sent to: what the import and lint
 * dialogs share. A failure that names `pem` is shown on the field; any other goes above it.
 */
export function useCertificatePem<T>(send: (pem: string) => Promise<Result<T>>, onEdit?: () => void) {
  const [pem, setPem] = useState(EMPTY_PEM_INPUT);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const fieldError = failure?.field === 'pem' ? failure.message : undefined;

  /** The call's value; null if nothing was given or the call failed (the failure is shown). */
  const submit = async (event: FormEvent): Promise<T | null> => {
    event.preventDefault();
    const payload = pemInputPayload(pem);
    if (!payload) {
      setFailure({ code: 'VALIDATION', message: 'Paste the certificate, or drop or choose its file.', field: 'pem' });
      return null;
    }
    setFailure(null);
    setBusy(true);
    const result = await send(payload);
    setBusy(false);
    if (result.ok) return result.value;
    setFailure(result.error);
    return null;
  };

  return {
    busy,
    submit,
    /** A failure not about the field itself, for the alert above it. */
    failure: fieldError ? null : failure,
    /** Spread into the PemInput, with its `testId`. */
    input: {
      label: 'Certificate (PEM)',
      value: pem,
      onChange: (value: PemInputValue) => {
        setPem(value);
        onEdit?.();
        if (fieldError) setFailure(null);
      },
      error: fieldError,
      disabled: busy,
      accept: '.pem,.crt,.cer',
      allowDer: false,
      placeholder: '-----BEGIN CERTIFICATE-----\n…\n-----END CERTIFICATE-----',
    },
  };
}
