import { Code, TextInput } from '@mantine/core';
import type { TenantView } from '../../../shared/contract/index.ts';

interface Props {
  tenant: Pick<TenantView, 'name'>;
  value: string;
  onChange: (value: string) => void;
  /** Main's refusal of the name, else the form's check as typed (`tenantNameError`). */
  error: string | null;
  disabled: boolean;
  testId: string;
  /** What confirming does; default: the change reaches live clients. */
  description?: string;
}

/** A production tenant is changed only after its name is typed again, exactly. */
export function TenantNameConfirm({
  tenant,
  value,
  onChange,
  error,
  disabled,
  testId,
  description = 'This is a production tenant: the change reaches live clients.',
}: Props) {
  return (
    <TextInput
      label={
        <>
          Type <Code>{tenant.name}</Code> to confirm
        </>
      }
      description={description}
      value={value}
      onChange={(event) => onChange(event.currentTarget.value)}
      error={error ?? undefined}
      disabled={disabled}
      autoComplete="off"
      spellCheck={false}
      data-autofocus
      data-testid={testId}
    />
  );
}
