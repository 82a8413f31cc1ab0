import { Button, Code, Group, Stack, Text } from '@mantine/core';
import type { TenantView } from '../../../../shared/contract.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { GuardedModal } from '../../components/GuardedModal.tsx';
import { useCall } from '../../state/use-call.ts';
import { useConfirmedAction } from '../../state/use-confirmed-action.ts';
import { TenantNameConfirm } from '../../components/TenantNameConfirm.tsx';
import { TenantEnvironmentBadge } from './TenantEnvironmentBadge.tsx';
import { SECRET_STORAGE_LABEL } from './tenant-environment.ts';

interface Props {
  /** The tenant to remove; null when the dialog is closed. Kept by the caller while the dialog fades out. */
  tenant: TenantView | null;
  opened: boolean;
  onClose: () => void;
  onRemoved: (tenant: TenantView) => void;
}

/** Removal deletes the profile and its stored secret; a production tenant needs its name typed again. */
export function RemoveTenantModal({ tenant, opened, onClose, onRemoved }: Props) {
  const call = useCall();
  const action = useConfirmedAction(tenant, (confirm) => call('tenants:remove', { tenant: tenant!.id, ...(confirm === undefined ? {} : { confirm }) }), (value) => onRemoved(value.removed));
  const { confirm, confirmError, failure, busy, production, matches } = action;

  const close = () => {
    action.reset();
    onClose();
  };

  return (
    <GuardedModal
      opened={opened}
      busy={busy}
      onClose={close}
      title="Remove this tenant?"
      testId="tenant-remove-dialog"
      contentAttributes={{ 'data-tenant-name': tenant?.name, 'data-tenant-env': tenant?.environment }}
    >
      {tenant && (
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
            <Text size="sm">
              certdesk forgets the profile for <Code>{tenant.domain}</Code> and deletes its client secret ({SECRET_STORAGE_LABEL[tenant.secretStorage].toLowerCase()}). Nothing
              changes in Auth0: the M2M application and its grants stay as they are.
            </Text>
            {production && (
              <TenantNameConfirm
                tenant={tenant}
                value={confirm}
                onChange={action.setConfirm}
                error={confirmError}
                disabled={busy}
                description="This is a production tenant."
                testId="tenant-remove-confirm"
              />
            )}
            {failure && (
              <ErrorAlert title="The tenant was not removed" data-testid="tenant-remove-error">
                {failure.message}
              </ErrorAlert>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={close} disabled={busy}>
                Cancel
              </Button>
              <Button type="submit" color="red" loading={busy} disabled={!matches} data-autofocus={production ? undefined : true} data-testid="tenant-remove-submit">
                Remove tenant
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </GuardedModal>
  );
}
