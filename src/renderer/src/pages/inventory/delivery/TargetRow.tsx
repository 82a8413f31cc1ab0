import { Badge, Button, Group, List, Paper, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconArrowBackUp, IconCheck, IconPlugConnected, IconTrash, IconX } from '@tabler/icons-react';
import { useState } from 'react';
import type { DeliveryRecord, Failure, SshClientKeyView, TargetTestResult, TargetView } from '../../../../../shared/contract/index.ts';
import { CopyableCode } from '../../../components/CopyableCode.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { DELIVERY_STATUS_COLORS, targetKeyFormat, targetName, targetWhere } from '../../../format/delivery-target.ts';
import { formatDateTime } from '../../../format/validity.ts';
import { useCall } from '../../../state/use-call.ts';
import { TruncatedText } from './TruncatedText.tsx';

interface Props {
  target: TargetView;
  onRemove: (target: TargetView) => void;
  onRollback: (target: TargetView) => void;
}

/** One delivery target: where it writes, its last delivery, and a check that writes nothing. */
export function TargetRow({ target, onRemove, onRollback }: Props) {
  const call = useCall();
  const [testing, setTesting] = useState(false);
  const [tested, setTested] = useState<TargetTestResult | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const name = targetName(target);

  const test = async () => {
    setTesting(true);
    setTested(null);
    setFailure(null);
    const result = await call('targets:test', { target: target.id });
    setTesting(false);
    if (result.ok) setTested(result.value);
    else setFailure(result.error);
  };

  return (
    <Paper
      withBorder
      radius="sm"
      p="sm"
      data-testid="delivery-target"
      data-target-id={target.id}
      data-kind={target.kind}
      data-approved={target.approved}
      data-inherited={target.inheritedFrom !== null}
    >
      <Stack gap={6}>
        <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
          <Badge variant="light" style={{ flex: 'none' }} data-testid="delivery-target-kind">
            {target.kind}
          </Badge>
          <TruncatedText value={targetWhere(target.spec)} testId="delivery-target-where" />
          {target.inheritedFrom && (
            <Badge variant="outline" color="gray" style={{ flex: 'none' }} title={`Added to ${target.inheritedFrom}`}>
              inherited
            </Badge>
          )}
          {!target.approved && (
            <Badge color="red" variant="light" style={{ flex: 'none' }} data-testid="delivery-target-unapproved">
              not approved
            </Badge>
          )}
        </Group>
        <Group gap="lg" wrap="wrap">
          <Text size="xs" c="dimmed" data-testid="delivery-target-key-format">
            Key: {targetKeyFormat(target.spec)}
          </Text>
          <LastDelivery last={target.last} />
        </Group>
        <Group gap="xs">
          <Button
            size="compact-sm"
            variant="default"
            leftSection={<IconPlugConnected size={14} />}
            loading={testing}
            onClick={() => void test()}
            aria-label={`Test ${name}`}
            data-testid="delivery-target-test"
          >
            Test
          </Button>
          <Button
            size="compact-sm"
            variant="subtle"
            color="red"
            leftSection={<IconTrash size={14} />}
            onClick={() => onRemove(target)}
            aria-label={`Remove ${name}…`}
            data-testid="delivery-target-remove"
          >
            Remove…
          </Button>
          {target.kind !== 'csr-inbox' && (
            <Button
              size="compact-sm"
              variant="subtle"
              color="orange"
              leftSection={<IconArrowBackUp size={14} />}
              onClick={() => onRollback(target)}
              aria-label={`Roll back ${name}…`}
              data-testid="delivery-target-rollback"
            >
              Rollback…
            </Button>
          )}
        </Group>
        {target.clientKey && <ClientKey target={target} clientKey={target.clientKey} />}
        {tested && <TestResult result={tested} />}
        {failure && (
          <ErrorAlert title="The target could not be tested" data-testid="delivery-target-test-error" code={failure.code}>
            {failure.message}
          </ErrorAlert>
        )}
      </Stack>
    </Paper>
  );
}

/** An ssh target's own client key: the line the operator installs for the target's user on the host, to copy. */
function ClientKey({ target, clientKey }: { target: TargetView; clientKey: SshClientKeyView }) {
  const user = target.spec.kind === 'ssh' ? target.spec.user : 'the user';
  const host = target.spec.kind === 'ssh' ? target.spec.host : 'the host';
  if (!clientKey.authorizedKey)
    return (
      <Text size="xs" c="red" data-testid="delivery-target-client-key-problem">
        The client key cannot be shown: {clientKey.problem}
      </Text>
    );
  return (
    <Stack gap={4} data-testid="delivery-target-client-key" data-fingerprint={clientKey.fingerprint ?? undefined}>
      <Text size="xs" c="dimmed">
        Client key {clientKey.fingerprint}: append this line to ~/.ssh/authorized_keys of {user} on {host}.
      </Text>
      <CopyableCode
        value={clientKey.authorizedKey}
        label={`the authorized_keys line for ${targetName(target)}`}
        testId="delivery-target-authorized-key"
        copyTestId="delivery-target-authorized-key-copy"
      />
    </Stack>
  );
}

function LastDelivery({ last }: { last: DeliveryRecord | null }) {
  if (!last)
    return (
      <Text size="xs" c="dimmed" data-testid="delivery-target-last" data-status="never">
        Never delivered
      </Text>
    );
  return (
    <Group gap={6} wrap="nowrap" data-testid="delivery-target-last" data-status={last.status} data-serial={last.serialHex}>
      <Text size="xs" c="dimmed">
        Last delivery:
      </Text>
      <Badge size="xs" variant="light" color={DELIVERY_STATUS_COLORS[last.status]}>
        {last.status}
      </Badge>
      <Text size="xs" c="dimmed">
        serial <span style={{ fontFamily: 'var(--mantine-font-family-monospace)' }}>{last.serialHex}</span>, {formatDateTime(last.at)}
      </Text>
    </Group>
  );
}

/** What `targets:test` checked, each line passed or failed, in place under the target. */
function TestResult({ result }: { result: TargetTestResult }) {
  return (
    <Stack gap={4} data-testid="delivery-target-test-result" data-ok={result.ok} role="status">
      <Text size="sm" fw={600} c={result.ok ? 'teal' : 'red'}>
        {result.ok ? 'Test passed' : 'Test failed'}
        {result.currentSerial ? ` · current serial ${result.currentSerial}` : ' · nothing delivered yet'}
        {result.currentReleaseId ? ` (release ${result.currentReleaseId})` : ''}
      </Text>
      <List spacing={2} size="sm" center>
        {result.checks.map((check) => (
          <List.Item
            key={check.name}
            data-testid="delivery-target-check"
            data-name={check.name}
            data-ok={check.ok}
            icon={
              <ThemeIcon size={16} radius="xl" color={check.ok ? 'teal' : 'red'} variant="light">
                {check.ok ? <IconCheck size={12} /> : <IconX size={12} />}
              </ThemeIcon>
            }
          >
            <Text size="sm" component="span" style={{ wordBreak: 'break-word' }}>
              {check.name}: {check.detail}
            </Text>
          </List.Item>
        ))}
      </List>
    </Stack>
  );
}
