import { Alert, Button, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useState } from 'react';
import type { AuthorityView, CertificateDetail } from '../../../../../shared/contract/index.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { GuardedModal } from '../../../components/GuardedModal.tsx';
import { useChannelQuery } from '../../../state/use-channel-query.ts';
import { IssueForm } from './IssueForm.tsx';
import { LoadingLine } from '../../../components/LoadingLine.tsx';

interface Props {
  opened: boolean;
  /** Changes with every opening: a fresh form even when reopened during the closing transition. */
  session: number;
  issuing: AuthorityView[];
  onClose: () => void;
  onIssued: (certificate: CertificateDetail) => void;
}

/** Loads the profiles on first opening (they are data in main, not constants here), then shows the form. */
export function IssueModal({ opened, session, issuing, onClose, onIssued }: Props) {
  // Profiles loaded before stay on screen while they are asked for again; a failure shows its retry.
  const { result: profiles, reload } = useChannelQuery('profiles:list', {}, { enabled: opened });
  const [busy, setBusy] = useState(false);

  return (
    <GuardedModal opened={opened} busy={busy} onClose={onClose} size="lg" title="Issue a client certificate" testId="issue-dialog">
      {profiles === null && <LoadingLine>Loading the profiles…</LoadingLine>}
      {profiles && !profiles.ok && (
        <ErrorAlert title="The profiles could not be loaded" data-testid="issue-error" code={profiles.error.code}>
          <Stack gap="xs" align="flex-start">
            <Text size="sm">{profiles.error.message}</Text>
            <Button variant="light" color="red" size="compact-sm" onClick={() => void reload()}>
              Try again
            </Button>
          </Stack>
        </ErrorAlert>
      )}
      {profiles?.ok && profiles.value.length === 0 && (
        <Alert color="orange" variant="light" icon={<IconAlertTriangle />} data-testid="issue-error">
          certdesk has no issuance profile, so it cannot issue. This build is incomplete; please report it.
        </Alert>
      )}
      {profiles?.ok && profiles.value.length > 0 && (
        <IssueForm
          key={session}
          profiles={profiles.value}
          issuing={issuing}
          onBusyChange={setBusy}
          // The form's Cancel is disabled while it is busy.
          onCancel={onClose}
          onIssued={(certificate) => {
            setBusy(false);
            onIssued(certificate);
          }}
        />
      )}
    </GuardedModal>
  );
}
