import { Button, Code, Group, Stack, Text } from '@mantine/core';
import type { BindingView, TenantView } from '../../../../shared/contract.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { GuardedModal } from '../../components/GuardedModal.tsx';
import { useCall } from '../../state/use-call.ts';
import { useConfirmedAction } from '../../state/use-confirmed-action.ts';
import { TenantEnvironmentBadge } from '../tenants/TenantEnvironmentBadge.tsx';
import { TenantNameConfirm } from '../../components/TenantNameConfirm.tsx';

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
  const action = useConfirmedAction(binding ? tenant : null, (confirm) => call('bindings:remove', { binding: binding!.id, ...(confirm === undefined ? {} : { confirm }) }), onUnbound);
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
      size="lg"
      title="Unbind this certificate?"
      testId="unbind-dialog"
      contentAttributes={{ 'data-tenant-env': tenant.environment, 'data-binding-id': binding?.id }}
    >
      {binding && (
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
              <Code>{binding.subject}</Code> stops being bound to the application <Code>{binding.clientId}</Code>. Nothing changes in Auth0 yet: the binding is retired
              and an entry waits in the outbox. Apply then deletes its credential
              {binding.credentialId ? (
                <>
                  {' '}
                  (<Code>{binding.credentialId}</Code>)
                </>
              ) : null}
              , after any successor is bound, so the application always keeps a working credential.
            </Text>
            {production && (
              <TenantNameConfirm
                tenant={tenant}
                value={confirm}
                onChange={action.setConfirm}
                error={confirmError}
                disabled={busy}
                testId="unbind-confirm"
              />
            )}
            {failure && (
              <ErrorAlert title="The certificate was not unbound" data-testid="unbind-error" data-code={failure.code}>
                {failure.message}
              </ErrorAlert>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={close} disabled={busy}>
                Cancel
              </Button>
              <Button type="submit" color="red" loading={busy} disabled={!matches} data-autofocus={production ? undefined : true} data-testid="unbind-submit">
                Unbind
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </GuardedModal>
  );
}
