import { Button, Code, Group, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import type { BindingView, Failure, TenantView, UnbindInput } from '../../../../shared/contract.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { GuardedModal } from '../../components/GuardedModal.tsx';
import { useCall } from '../../state/use-call.ts';
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
  const [confirm, setConfirm] = useState('');
  const [confirmError, setConfirmError] = useState<string | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [busy, setBusy] = useState(false);

  const production = tenant.environment === 'production';
  const matches = !production || confirm === tenant.name;

  const close = () => {
    setConfirm('');
    setConfirmError(null);
    setFailure(null);
    onClose();
  };

  const unbind = async () => {
    if (!binding || !matches) return;
    setFailure(null);
    setConfirmError(null);
    setBusy(true);
    const input: UnbindInput = production ? { binding: binding.id, confirm } : { binding: binding.id };
    const result = await call('bindings:remove', input);
    setBusy(false);
    if (result.ok) {
      setConfirm('');
      onUnbound(result.value);
      return;
    }
    if (result.error.field === 'confirm') setConfirmError(result.error.message);
    else setFailure(result.error);
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
            void unbind();
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
                onChange={(value) => {
                  setConfirm(value);
                  setConfirmError(null);
                }}
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
