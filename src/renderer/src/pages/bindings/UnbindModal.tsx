import { Code } from '@mantine/core';
import type { BindingView, TenantView } from '../../../../shared/contract/index.ts';
import { ConfirmedActionForm } from '../../components/ConfirmedActionForm.tsx';
import { GuardedModal } from '../../components/GuardedModal.tsx';
import { useCall } from '../../state/use-call.ts';
import { useConfirmedAction } from '../../state/use-confirmed-action.ts';

interface Props {
  tenant: TenantView;
  /** The binding to retire; kept by the caller while the dialog fades out. */
  binding: BindingView | null;
  opened: boolean;
  onClose: () => void;
  onUnbound: (binding: BindingView) => void;
}

/** Unbinding only records intent (retired + an outbox entry); apply removes the credential later. */
export function UnbindModal({ tenant, binding, opened, onClose, onUnbound }: Props) {
  const call = useCall();
  const action = useConfirmedAction(
    binding ? tenant : null,
    (confirm) => call('bindings:remove', { binding: binding!.id, ...(confirm === undefined ? {} : { confirm }) }),
    onUnbound,
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
      size="lg"
      title="Unbind this certificate?"
      testId="unbind-dialog"
      contentAttributes={{ 'data-tenant-env': tenant.environment, 'data-binding-id': binding?.id }}
    >
      {binding && (
        <ConfirmedActionForm
          tenant={tenant}
          action={action}
          onCancel={close}
          submitLabel="Unbind"
          testId="unbind"
          errorTitle="The certificate was not unbound"
        >
          <Code>{binding.subject}</Code> stops being bound to the application <Code>{binding.clientId}</Code>. Nothing changes in Auth0 yet:
          the binding is retired and an entry waits in the outbox. Apply then deletes its credential
          {binding.credentialId ? (
            <>
              {' '}
              (<Code>{binding.credentialId}</Code>)
            </>
          ) : null}
          , after any successor is bound, so the application always keeps a working credential.
        </ConfirmedActionForm>
      )}
    </GuardedModal>
  );
}
