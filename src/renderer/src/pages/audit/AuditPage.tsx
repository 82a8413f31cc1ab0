import { Button, Group, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconHistory, IconRefresh } from '@tabler/icons-react';
import { useState } from 'react';
import type { AuditVerifyResult, Failure } from '../../../../shared/contract/index.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useCall } from '../../state/use-call.ts';
import { usePagedList } from '../../state/use-paged-list.ts';
import { AuditTable } from './AuditTable.tsx';
import { AuditVerifyButton, AuditVerifyOutcome } from './AuditVerify.tsx';

const countFormat = new Intl.NumberFormat();
const NO_INPUT = {};

export function AuditPage() {
  const call = useCall();
  // `audit:list` pages newest first (seq descending), the order the table shows.
  const list = usePagedList('audit:list', NO_INPUT, 200);
  const [verifying, setVerifying] = useState(false);
  const [verified, setVerified] = useState<AuditVerifyResult | null>(null);
  const [verifyFailure, setVerifyFailure] = useState<Failure | null>(null);

  const verify = async () => {
    setVerifying(true);
    setVerifyFailure(null);
    const result = await call('audit:verify', {});
    setVerifying(false);
    if (result.ok) setVerified(result.value);
    else {
      setVerified(null);
      setVerifyFailure(result.error);
    }
  };

  return (
    <Stack gap="md" h="calc(100dvh - var(--app-shell-header-offset, 0rem) - 2 * var(--app-shell-padding))" mih={480}>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>Audit log</Title>
          <Text c="dimmed" size="sm">
            Every change certdesk made, newest first. Each entry carries the hash of the one before and a MAC under a key in the OS
            keychain, and checkpoints outside the database record the last entry: an edit, a deletion or a cut-off end breaks the check.
          </Text>
        </div>
        <Group gap="sm">
          <Button variant="default" leftSection={<IconRefresh size={18} />} onClick={list.reload} data-testid="audit-refresh">
            Refresh
          </Button>
          <AuditVerifyButton busy={verifying} onVerify={() => void verify()} />
        </Group>
      </Group>

      <AuditVerifyOutcome result={verified} failure={verifyFailure} />

      {list.error && (
        <ErrorAlert title="The audit log could not be read" data-testid="audit-list-error" onRetry={list.reload} code={list.error.code}>
          {list.error.message}
        </ErrorAlert>
      )}

      {list.total === 0 ? (
        <Paper withBorder radius="lg" p="xl" data-testid="audit-empty">
          <Stack align="center" gap="sm" ta="center">
            <ThemeIcon size={48} radius="xl" variant="light" aria-hidden>
              <IconHistory size={26} />
            </ThemeIcon>
            <Title order={3} size="h4">
              Nothing recorded yet
            </Title>
            <Text size="sm" c="dimmed" maw={520}>
              Creating an authority, issuing, renewing, revoking or exporting a certificate each add an entry here.
            </Text>
          </Stack>
        </Paper>
      ) : (
        <>
          {list.total !== null && (
            <Text size="sm" c="dimmed" data-testid="audit-total">
              {countFormat.format(list.total)} {list.total === 1 ? 'entry' : 'entries'}
            </Text>
          )}
          <AuditTable list={list} />
        </>
      )}
    </Stack>
  );
}
