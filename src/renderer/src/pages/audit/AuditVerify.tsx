import { Alert, Button, List, Stack, Text } from '@mantine/core';
import { IconShieldCheck } from '@tabler/icons-react';
import type { AuditVerifyResult, Failure } from '../../../../shared/contract/index.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';

const countFormat = new Intl.NumberFormat();

interface Props {
  result: AuditVerifyResult | null;
  failure: Failure | null;
}

/** The outcome of re-hashing the chain: green with the count, or red with each broken link by seq. */
export function AuditVerifyOutcome({ result, failure }: Props) {
  if (failure) {
    return (
      <ErrorAlert title="The chain could not be checked" data-testid="audit-verify-result" data-ok="false" code={failure.code}>
        {failure.message}
      </ErrorAlert>
    );
  }
  if (!result) return null;
  if (result.ok) {
    return (
      <Alert color="teal" variant="light" icon={<IconShieldCheck />} data-testid="audit-verify-result" data-ok="true">
        {countFormat.format(result.checked)} {result.checked === 1 ? 'entry' : 'entries'} verified: every hash links to the one before it.
      </Alert>
    );
  }
  return (
    <ErrorAlert title="The audit chain is broken" data-testid="audit-verify-result" data-ok="false">
      <Stack gap="xs">
        <Text size="sm">
          {countFormat.format(result.checked)} entries checked; {result.problems.length}{' '}
          {result.problems.length === 1 ? 'problem' : 'problems'}. An entry was changed, removed or inserted outside certdesk. Keep a copy
          of the database as evidence before anything else writes to it.
        </Text>
        <List size="sm" spacing={2}>
          {result.problems.map((problem) => (
            <List.Item key={`${problem.seq}:${problem.problem}`} data-testid="audit-problem" data-seq={problem.seq}>
              <Text span fw={600} ff="monospace">
                #{problem.seq}
              </Text>{' '}
              {problem.problem}
            </List.Item>
          ))}
        </List>
      </Stack>
    </ErrorAlert>
  );
}

export function AuditVerifyButton({ busy, onVerify }: { busy: boolean; onVerify: () => void }) {
  return (
    <Button leftSection={<IconShieldCheck size={18} />} onClick={onVerify} loading={busy} data-testid="audit-verify">
      Verify chain
    </Button>
  );
}
