import { Alert, Button, List, Stack, Text } from '@mantine/core';
import { IconShieldCheck } from '@tabler/icons-react';
import { auditVerifyFailure, type AuditVerifyResult, type Failure } from '../../../../shared/contract/index.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';

const countFormat = new Intl.NumberFormat();

interface Props {
  result: AuditVerifyResult | null;
  failure: Failure | null;
}

/** What the checkpoints outside the database say, in a few words. */
function checkpointSummary(result: AuditVerifyResult): string {
  const at = (seq: number | null) => (seq === null ? 'none' : `entry ${countFormat.format(seq)}`);
  return `checkpoints outside the database: file at ${at(result.checkpoints.file.seq)}, keychain at ${at(result.checkpoints.keychain.seq)}`;
}

/** The legacy segment an upgrade left unkeyed, when there is one. */
function keyedSummary(result: AuditVerifyResult): string {
  if (result.keyedFrom === null) return 'no audit key yet';
  return result.keyedFrom > 1
    ? `keyed MACs from entry ${countFormat.format(result.keyedFrom)} (entries before it are the legacy, unkeyed segment)`
    : 'every entry carries a keyed MAC';
}

/**
 * The outcome of the check: green with the count, or red with the failed check, the last good entry
 * and each problem by seq (seq 0: the log as a whole, such as a missing checkpoint).
 */
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
        {countFormat.format(result.checked)} {result.checked === 1 ? 'entry' : 'entries'} verified: every hash links to the one before it;{' '}
        {keyedSummary(result)}; {checkpointSummary(result)}.
      </Alert>
    );
  }
  return (
    <ErrorAlert
      title={TITLES[auditVerifyFailure(result).code]}
      data-testid="audit-verify-result"
      data-ok="false"
      code={auditVerifyFailure(result).code}
    >
      <Stack gap="xs">
        <Text size="sm">
          {countFormat.format(result.checked)} entries checked; {result.problems.length}{' '}
          {result.problems.length === 1 ? 'problem' : 'problems'}; the last good entry is #{result.lastGoodSeq}. An entry was changed,
          removed or inserted outside certdesk. Keep a copy of the database and of the checkpoint file as evidence before anything else
          writes to them.
        </Text>
        <Text size="sm" c="dimmed">
          {keyedSummary(result)}; {checkpointSummary(result)}.
        </Text>
        <List size="sm" spacing={2}>
          {result.problems.map((problem) => (
            <List.Item key={`${problem.seq}:${problem.problem}`} data-testid="audit-problem" data-seq={problem.seq}>
              <Text span fw={600} ff="monospace">
                {problem.seq > 0 ? `#${problem.seq}` : 'log'}
              </Text>{' '}
              <Text span c="dimmed" size="xs">
                [{problem.check}]
              </Text>{' '}
              {problem.problem}
            </List.Item>
          ))}
        </List>
      </Stack>
    </ErrorAlert>
  );
}

const TITLES: Record<ReturnType<typeof auditVerifyFailure>['code'], string> = {
  AUDIT_CHAIN_BROKEN: 'The audit chain is broken',
  AUDIT_LOG_TRUNCATED: 'Entries were cut off the end of the audit log',
  AUDIT_LOG_REWRITTEN: 'The audit log was rewritten',
  AUDIT_CHECKPOINT_MISSING: 'The audit checkpoints cannot vouch for the log',
  AUDIT_STORE_MISMATCH: 'The database is not the store this data folder belongs to',
};

export function AuditVerifyButton({ busy, onVerify }: { busy: boolean; onVerify: () => void }) {
  return (
    <Button leftSection={<IconShieldCheck size={18} />} onClick={onVerify} loading={busy} data-testid="audit-verify">
      Verify chain
    </Button>
  );
}
