import { Button, Group, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import type { TenantView } from '../../../shared/contract/index.ts';
import type { ConfirmedAction } from '../state/use-confirmed-action.ts';
import { TenantEnvironmentBadge } from '../pages/tenants/TenantEnvironmentBadge.tsx';
import { ErrorAlert } from './ErrorAlert.tsx';
import { TenantNameConfirm } from './TenantNameConfirm.tsx';

interface Props {
  tenant: TenantView;
  action: ConfirmedAction;
  /** What happens, in a sentence or two. */
  children: ReactNode;
  onCancel: () => void;
  submitLabel: string;
  /** Test ids: `${testId}-confirm`, `${testId}-error`, `${testId}-submit`. */
  testId: string;
  confirmDescription?: string;
  errorTitle: string;
}

/**
 * The body of a destructive dialog on a tenant's behalf: the tenant and its environment, what will
 * happen, the typed name for a production tenant, the failure if any, and Cancel / the red action.
 */
export function ConfirmedActionForm({ tenant, action, children, onCancel, submitLabel, testId, confirmDescription, errorTitle }: Props) {
  const { confirm, confirmError, failure, busy, production, matches } = action;
  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void action.submit();
      }}
    >
      <Stack>
        <Group gap="xs">
          <Text fw={600}>{tenant.name}</Text>
          <TenantEnvironmentBadge environment={tenant.environment} />
        </Group>
        <Text size="sm">{children}</Text>
        {production && (
          <TenantNameConfirm
            tenant={tenant}
            value={confirm}
            onChange={action.setConfirm}
            error={confirmError}
            disabled={busy}
            {...(confirmDescription ? { description: confirmDescription } : {})}
            testId={`${testId}-confirm`}
          />
        )}
        {failure && (
          <ErrorAlert title={errorTitle} data-testid={`${testId}-error`} code={failure.code}>
            {failure.message}
          </ErrorAlert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel} disabled={busy}>
            Cancel
          </Button>
          <Button
            type="submit"
            color="red"
            loading={busy}
            disabled={!matches}
            data-autofocus={production ? undefined : true}
            data-testid={`${testId}-submit`}
          >
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
