import { Alert, Badge, Box, Group, Paper, SimpleGrid, Stack, Text, ThemeIcon, Title, VisuallyHidden } from '@mantine/core';
import { IconAlertOctagon, IconAlertTriangle, IconCircleCheck, IconInfoCircle } from '@tabler/icons-react';
import type { DriftItem, PlanStep, TenantClientState, TenantPlan } from '../../../../shared/contract/index.ts';
import { formatDateTime } from '../../format/validity.ts';
import { DRIFT_KIND_LABEL, STEP_KIND_LABEL } from './binding-labels.ts';

interface Props {
  plan: TenantPlan;
  /** The bindings changed since the plan was read: it may no longer say what apply would do. */
  stale: boolean;
}

/** What the tenant has now, what apply would change (as a diff), and what looks wrong (drift). */
export function PlanView({ plan, stale }: Props) {
  const blocking = plan.drift.filter((item) => item.severity === 'blocking');
  const warnings = plan.drift.filter((item) => item.severity === 'warning');
  return (
    <Stack gap="md" data-testid="plan" data-blocked={String(plan.blocked)} data-stale={String(stale)} data-step-count={plan.steps.length}>
      <Text size="xs" c="dimmed" data-testid="plan-read-at">
        Read from “{plan.tenantName}” at {formatDateTime(plan.readAt)}.
      </Text>

      {stale && (
        <Alert color="yellow" variant="light" icon={<IconInfoCircle />} data-testid="plan-stale">
          The bindings changed since this plan was read. Plan again to see what apply would do now.
        </Alert>
      )}

      {blocking.length > 0 && (
        <Stack gap="sm" data-testid="plan-blocking">
          <Alert color="red" variant="filled" icon={<IconAlertOctagon />} title="Apply is blocked">
            {blocking.length === 1 ? 'One problem stops' : `${blocking.length} problems stop`} apply before it changes anything. Fix{' '}
            {blocking.length === 1 ? 'it' : 'them'}, then plan again.
          </Alert>
          {blocking.map((item, index) => (
            <DriftCard key={`${item.kind}-${item.clientId}-${item.credentialId ?? index}`} item={item} />
          ))}
        </Stack>
      )}

      <Stack gap="xs">
        <Title order={4} size="h5">
          Changes apply would make
        </Title>
        {plan.steps.length === 0 ? (
          <Group gap="xs" data-testid="plan-empty">
            <ThemeIcon size={24} radius="xl" variant="light" color="teal" aria-hidden>
              <IconCircleCheck size={16} />
            </ThemeIcon>
            <Text size="sm">No changes: the tenant already matches the bindings.</Text>
          </Group>
        ) : (
          <Stack gap="sm" component="ol" m={0} p={0} style={{ listStyle: 'none' }}>
            {plan.steps.map((step, index) => (
              <PlanStepItem
                key={step.id}
                step={step}
                index={index}
                clientName={plan.clients.find((client) => client.clientId === step.clientId)?.name ?? null}
              />
            ))}
          </Stack>
        )}
      </Stack>

      {warnings.length > 0 && (
        <Stack gap="xs" data-testid="plan-warnings">
          <Title order={4} size="h5">
            Drift ({warnings.length})
          </Title>
          <Text size="xs" c="dimmed">
            Shown, never fixed silently: apply leaves these alone.
          </Text>
          {warnings.map((item, index) => (
            <DriftCard key={`${item.kind}-${item.clientId}-${item.credentialId ?? index}`} item={item} />
          ))}
        </Stack>
      )}

      {plan.clients.length > 0 && (
        <Stack gap="xs">
          <Title order={4} size="h5">
            Applications now
          </Title>
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
            {plan.clients.map((client) => (
              <ClientState key={client.clientId} client={client} />
            ))}
          </SimpleGrid>
        </Stack>
      )}
    </Stack>
  );
}

function PlanStepItem({ step, index, clientName }: { step: PlanStep; index: number; clientName: string | null }) {
  return (
    <Paper component="li" withBorder radius="md" p="sm" data-testid="plan-step" data-kind={step.kind} data-step-id={step.id}>
      <Stack gap={6}>
        <Group gap="xs" wrap="nowrap" align="flex-start">
          <Badge variant="light" color="indigo" circle aria-hidden>
            {index + 1}
          </Badge>
          <Stack gap={0} style={{ flex: 1, minWidth: 0 }}>
            <Text size="sm" fw={600} data-testid="plan-step-summary">
              {step.summary}
            </Text>
            <Text size="xs" c="dimmed">
              {STEP_KIND_LABEL[step.kind]}
              {step.clientId && <> · application {clientName ? `${clientName} (${step.clientId})` : step.clientId}</>}
            </Text>
          </Stack>
        </Group>
        <Box
          component="pre"
          m={0}
          p="xs"
          ff="monospace"
          fz="xs"
          style={{
            whiteSpace: 'pre-wrap',
            wordBreak: 'break-all',
            borderRadius: 'var(--mantine-radius-sm)',
            background: 'var(--mantine-color-default-hover)',
          }}
        >
          <Text component="span" inherit c="red.7" display="block" data-testid="plan-step-before">
            <VisuallyHidden>Before: </VisuallyHidden>- {step.before}
          </Text>
          <Text component="span" inherit c="green.8" display="block" data-testid="plan-step-after">
            <VisuallyHidden>After: </VisuallyHidden>+ {step.after}
          </Text>
        </Box>
      </Stack>
    </Paper>
  );
}

/** One drift finding: what is wrong and what to do. Blocking ones are red, warnings orange. */
export function DriftCard({ item }: { item: DriftItem }) {
  const blocking = item.severity === 'blocking';
  return (
    <Alert
      color={blocking ? 'red' : 'orange'}
      variant={blocking ? 'outline' : 'light'}
      icon={blocking ? <IconAlertOctagon /> : <IconAlertTriangle />}
      title={
        <Group gap="xs">
          <Text fw={600} size="sm">
            {DRIFT_KIND_LABEL[item.kind]}
          </Text>
          <Badge size="sm" color={blocking ? 'red' : 'orange'} variant={blocking ? 'filled' : 'light'}>
            {blocking ? 'Blocks apply' : 'Warning'}
          </Badge>
        </Group>
      }
      data-testid="plan-drift"
      data-kind={item.kind}
      data-severity={item.severity}
    >
      <Stack gap={4}>
        <Text size="sm" data-testid="plan-drift-message">
          {item.message}
        </Text>
        <Text size="sm" data-testid="plan-drift-fix">
          <Text component="span" fw={600} inherit>
            Fix:{' '}
          </Text>
          {item.fix}
        </Text>
        {(item.clientId || item.credentialId) && (
          <Text size="xs" c="dimmed" ff="monospace">
            {item.clientId && `application ${item.clientId}`}
            {item.clientId && item.credentialId && ' · '}
            {item.credentialId && `credential ${item.credentialId}`}
          </Text>
        )}
      </Stack>
    </Alert>
  );
}

function ClientState({ client }: { client: TenantClientState }) {
  return (
    <Paper withBorder radius="md" p="sm" data-testid="plan-client" data-client-id={client.clientId}>
      <Stack gap={6}>
        <Group gap="xs" justify="space-between" wrap="wrap">
          <Text size="sm" fw={600}>
            {client.name ?? 'Unknown application'}
          </Text>
          <Badge size="sm" variant="light" color={client.requirePop ? 'teal' : 'gray'} tt="none">
            {client.requirePop ? 'PoP required' : 'PoP not required'}
          </Badge>
        </Group>
        <Text size="xs" ff="monospace" c="dimmed" style={{ wordBreak: 'break-all' }}>
          {client.clientId}
        </Text>
        <Text size="xs">
          Authentication:{' '}
          <Text span inherit ff="monospace">
            {client.authMethod ?? 'no client_authentication_methods'}
          </Text>
          {client.boundCredentialIds.length > 0 && (
            <>
              {' '}
              with{' '}
              <Text span inherit ff="monospace">
                {client.boundCredentialIds.join(', ')}
              </Text>
            </>
          )}
        </Text>
        {client.credentials.length === 0 ? (
          <Text size="xs" c="dimmed">
            No credentials.
          </Text>
        ) : (
          <Stack gap={2} component="ul" m={0} pl="md">
            {client.credentials.map((credential) => (
              <Text key={credential.id} component="li" size="xs">
                <Text span inherit ff="monospace">
                  {credential.id}
                </Text>{' '}
                {credential.name ? `“${credential.name}”` : ''} ({credential.credentialType})
                {credential.bindingId ? ' · certdesk binding' : ' · not from certdesk'}
              </Text>
            ))}
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}
