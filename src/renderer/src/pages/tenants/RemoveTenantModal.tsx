import { Code } from '@mantine/core';
import type { TenantView } from '../../../../shared/contract/index.ts';
import { ConfirmedActionForm } from '../../components/ConfirmedActionForm.tsx';
import { GuardedModal } from '../../components/GuardedModal.tsx';
import { useCall } from '../../state/use-call.ts';
import { useConfirmedAction } from '../../state/use-confirmed-action.ts';
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
  const action = useConfirmedAction(
    tenant,
    (confirm) => call('tenants:remove', { tenant: tenant!.id, ...(confirm === undefined ? {} : { confirm }) }),
    (value) => onRemoved(value.removed),
  );
  const { busy } = action;

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
        <ConfirmedActionForm
          tenant={tenant}
          action={action}
          onCancel={close}
          submitLabel="Remove tenant"
          testId="tenant-remove"
          confirmDescription="This is a production tenant."
          errorTitle="The tenant was not removed"
        >
          certdesk forgets the profile for <Code>{tenant.domain}</Code> and deletes its client secret (
          {SECRET_STORAGE_LABEL[tenant.secretStorage].toLowerCase()}). Nothing changes in Auth0: the M2M application and its grants stay as
          they are.
        </ConfirmedActionForm>
      )}
    </GuardedModal>
  );
}
