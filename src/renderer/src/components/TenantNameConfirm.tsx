import { Code, TextInput } from '@mantine/core';
import type { TenantView } from '../../../shared/contract/index.ts';

interface Props {
  tenant: Pick<TenantView, 'name'>;
  value: string;
  onChange: (value: string) => void;
  /** The server's word on the confirmation, when it refused it. */
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
  const mismatch = value.length > 0 && value !== tenant.name && !tenant.name.startsWith(value);
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
      error={error ?? (mismatch ? 'That is not this tenant’s name (it is case-sensitive)' : undefined)}
      disabled={disabled}
      autoComplete="off"
      spellCheck={false}
      data-autofocus
      data-testid={testId}
    />
  );
}
