import { Alert, Button, Code, Stack, Text } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import { CopyableCode } from '../../../components/CopyableCode.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { addFolderTargetCommand, targetWhere } from '../../../format/delivery-target.ts';
import type { AddTargetState } from './use-add-target.ts';

/** Under the section's header: web mode's command to run, the desktop dialog's added target, or why nothing was added. */
export function AddTargetOutcome({ certificateId, state }: { certificateId: string; state: AddTargetState }) {
  const { added, failure, helpOpened } = state;
  return (
    <>
      {helpOpened && (
        <Alert color="blue" variant="light" icon={<IconInfoCircle />} title="Add the target on this machine" data-testid="delivery-add-web">
          <Stack gap={6}>
            <Text size="sm">
              A folder target decides where this certificate&apos;s private key is written, so only the operator chooses it: in the desktop
              app&apos;s folder dialog, or with the command line on this machine. Web mode cannot. Run, with the folder in place of DIR:
            </Text>
            <CopyableCode
              value={addFolderTargetCommand(certificateId)}
              label="the target add command"
              testId="delivery-add-command"
              copyTestId="delivery-add-command-copy"
            />
            <Text size="xs" c="dimmed">
              Options: --key-format pem|encrypted|p12, --mode 0640, --owner, --group; --kind ssh or csr-inbox for the other kinds (certdesk
              target add --help). Reopen this certificate to see the new target.
            </Text>
          </Stack>
        </Alert>
      )}
      {added && (
        <Alert color="teal" variant="light" title="Target added" data-testid="delivery-add-result">
          <Text size="sm">
            Deliveries go to <Code style={{ wordBreak: 'break-all' }}>{targetWhere(added.target.spec)}</Code>.
          </Text>
          {added.passphrase && (
            <Text size="sm" mt={4}>
              The key&apos;s passphrase (shown once; the vault keeps it for deliveries): <Code>{added.passphrase}</Code>
            </Text>
          )}
        </Alert>
      )}
      {failure && (
        <ErrorAlert title="No target was added" data-testid="delivery-add-error" code={failure.code}>
          {failure.message}
        </ErrorAlert>
      )}
    </>
  );
}

export function AddTargetButton({ state, canChooseFolder }: { state: AddTargetState; canChooseFolder: boolean }) {
  return (
    <Button
      size="compact-sm"
      variant="default"
      loading={state.busy}
      onClick={() => void state.start()}
      aria-expanded={canChooseFolder ? undefined : state.helpOpened}
      data-testid="delivery-add"
    >
      {canChooseFolder ? 'Add folder target…' : 'Add target…'}
    </Button>
  );
}
