import { Alert, Button, Divider, Group, Loader, Paper, Stack, Text, Title, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconInbox, IconLink, IconPlayerPlay, IconSearch } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import type { ApplyInput, ApplyResult, BindingView, Failure, TenantPlan, TenantView } from '../../../../shared/contract/index.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useCall } from '../../state/use-call.ts';
import { useChannelQuery } from '../../state/use-channel-query.ts';
import { TenantEnvironmentBadge } from '../tenants/TenantEnvironmentBadge.tsx';
import { ApplyConfirmModal } from './ApplyConfirmModal.tsx';
import { ApplyStepList } from './ApplyStepList.tsx';
import { APPLY_OUTCOME } from './binding-labels.ts';
import { BindingsTable } from './BindingsTable.tsx';
import { BindModal } from './BindModal.tsx';
import { OutboxList } from './OutboxList.tsx';
import { DriftCard, PlanView } from './PlanView.tsx';
import { UnbindModal } from './UnbindModal.tsx';
import { useApplyProgress, type LiveStep } from './use-apply-progress.ts';
import { LoadingLine } from '../../components/LoadingLine.tsx';

interface Props {
  tenant: TenantView;
  /** An apply is running: the page keeps the tenant choice until it answers. */
  onBusyChange: (busy: boolean) => void;
}

/** One tenant's bindings, its plan → apply workflow and its outbox. Keyed by tenant: switching starts afresh. */
export function TenantWorkspace({ tenant, onBusyChange }: Props) {
  const call = useCall();
  const production = tenant.environment === 'production';

  // A failed refresh keeps the previous list on screen; the first failure has nothing to keep.
  const { result: bindings, reload: loadBindings } = useChannelQuery('bindings:list', { tenant: tenant.id });
  const { result: outbox, reload: loadOutbox } = useChannelQuery('outbox:list', { tenant: tenant.id });
  const [plan, setPlan] = useState<{ value: TenantPlan; stale: boolean } | null>(null);
  const [planFailure, setPlanFailure] = useState<Failure | null>(null);
  // Mutations: their per-call callbacks are not run once the workspace has unmounted.
  const planMutation = useMutation({ mutationFn: () => call('auth0:plan', { tenant: tenant.id }) });
  const applyMutation = useMutation({ mutationFn: (input: ApplyInput) => call('auth0:apply', input) });
  const planning = planMutation.isPending;
  const applying = applyMutation.isPending;
  const [applyResult, setApplyResult] = useState<ApplyResult | null>(null);
  const [applyFailure, setApplyFailure] = useState<Failure | null>(null);
  const [confirmOpened, setConfirmOpened] = useState(false);
  const [bindOpened, setBindOpened] = useState(false);
  const [bindSession, setBindSession] = useState(0);
  const [unbinding, setUnbinding] = useState<BindingView | null>(null);
  const [unbindOpened, setUnbindOpened] = useState(false);
  const progress = useApplyProgress(tenant.id);

  useEffect(() => onBusyChange(applying), [applying, onBusyChange]);

  const markPlanStale = () => setPlan((current) => (current ? { ...current, stale: true } : current));

  const runPlan = () => {
    setPlanFailure(null);
    planMutation.mutate(undefined, {
      onSuccess: (result) => {
        if (result.ok) setPlan({ value: result.value, stale: false });
        else {
          setPlanFailure(result.error);
          markPlanStale();
        }
      },
    });
  };

  const apply = (confirm?: string) => {
    setConfirmOpened(false);
    setApplyFailure(null);
    setApplyResult(null);
    // Apply reads the tenant itself and reports what it finds; an older plan error would only repeat it.
    setPlanFailure(null);
    progress.begin(plan && !plan.stale ? plan.value.steps : null);
    const input: ApplyInput = confirm === undefined ? { tenant: tenant.id } : { tenant: tenant.id, confirm };
    applyMutation.mutate(input, {
      onSettled: () => progress.end(),
      onSuccess: async (result) => {
        if (result.ok) setApplyResult(result.value);
        else setApplyFailure(result.error);
        await Promise.all([loadBindings(), loadOutbox()]);
        // The tenant is read again so the plan shows what is left; not when it could not be reached just now.
        const unreachable = result.ok && result.value.outcome === 'queued';
        const refused = !result.ok && result.error.code === 'CONFIRMATION_REQUIRED';
        if (unreachable || refused) markPlanStale();
        else runPlan();
      },
    });
  };

  const askApply = () => {
    if (production) setConfirmOpened(true);
    else apply();
  };

  const clientNames = useMemo(
    () => new Map((plan?.value.clients ?? []).flatMap((client) => (client.name ? [[client.clientId, client.name] as const] : []))),
    [plan],
  );
  const blocked = plan !== null && !plan.stale && plan.value.blocked;
  const list = bindings?.ok ? bindings.value : null;
  const items = outbox?.ok ? outbox.value : null;
  const waiting = items?.filter((item) => item.state !== 'done').length ?? 0;

  const shownSteps: LiveStep[] | null = applyResult
    ? applyResult.steps.map((step) => ({
        stepId: step.stepId,
        kind: step.kind,
        summary: step.summary,
        status: step.status,
        attempts: step.attempts,
        ...(step.message ? { message: step.message } : {}),
      }))
    : progress.steps;

  return (
    <Stack gap="lg" data-testid="bindings-workspace" data-tenant-name={tenant.name} data-tenant-env={tenant.environment}>
      {production && (
        <Alert color="red" variant="filled" icon={<IconAlertTriangle />} title="Production tenant" data-testid="bindings-production">
          Changes here reach live clients. Unbinding and applying need the tenant’s name typed again.
        </Alert>
      )}

      {/* ── Bindings ── */}
      <Paper
        withBorder
        radius="lg"
        p="lg"
        style={production ? { borderLeft: '4px solid var(--mantine-color-red-6)' } : undefined}
        aria-labelledby="bindings-heading"
      >
        <Stack gap="md">
          <Group justify="space-between" align="flex-end" wrap="wrap">
            <div>
              <Title order={3} size="h4" id="bindings-heading">
                Bindings
              </Title>
              <Text size="sm" c="dimmed">
                Which certificate should be live on which application of {tenant.name}. Binding and unbinding only record intent; apply
                makes it so.
              </Text>
            </div>
            <Button
              leftSection={<IconLink size={18} />}
              onClick={() => {
                setBindSession((value) => value + 1);
                setBindOpened(true);
              }}
              disabled={applying}
              data-testid="bind-open"
            >
              Bind certificate…
            </Button>
          </Group>

          {bindings && !bindings.ok && (
            <ErrorAlert
              title="The bindings could not be read"
              data-testid="bindings-error"
              onRetry={() => void loadBindings()}
              code={bindings.error.code}
            >
              {bindings.error.message}
            </ErrorAlert>
          )}
          {bindings === null && <LoadingLine>Reading the bindings…</LoadingLine>}
          {list?.length === 0 && (
            <Text size="sm" c="dimmed" data-testid="bindings-empty">
              No certificate is bound on {tenant.name} yet. Use “Bind certificate…” to pick an active certificate from the inventory and the
              application it authenticates, then plan and apply.
            </Text>
          )}
          {list && list.length > 0 && (
            <BindingsTable
              bindings={list}
              clientNames={clientNames}
              disabled={applying}
              onUnbind={(binding) => {
                setUnbinding(binding);
                setUnbindOpened(true);
              }}
            />
          )}
        </Stack>
      </Paper>

      {/* ── Plan and apply ── */}
      <Paper
        withBorder
        radius="lg"
        p="lg"
        style={production ? { borderLeft: '4px solid var(--mantine-color-red-6)' } : undefined}
        aria-labelledby="plan-heading"
      >
        <Stack gap="md">
          <Group justify="space-between" align="flex-end" wrap="wrap">
            <div>
              <Group gap="xs">
                <Title order={3} size="h4" id="plan-heading">
                  Plan and apply
                </Title>
                <TenantEnvironmentBadge environment={tenant.environment} />
              </Group>
              <Text size="sm" c="dimmed">
                Plan reads {tenant.domain} and shows what apply would change. Apply reads it again, then makes the changes step by step.
              </Text>
            </div>
            <Group gap="xs">
              <Button
                variant="default"
                leftSection={<IconSearch size={18} />}
                onClick={() => runPlan()}
                loading={planning}
                disabled={applying}
                data-testid="plan-run"
              >
                {plan ? 'Plan again' : 'Plan'}
              </Button>
              <Tooltip label="Blocking drift stops apply: fix it, then plan again." disabled={!blocked}>
                <Button
                  color={production ? 'red' : undefined}
                  leftSection={<IconPlayerPlay size={18} />}
                  onClick={askApply}
                  loading={applying}
                  disabled={blocked || planning}
                  data-testid="apply-run"
                  data-blocked={String(blocked)}
                >
                  {production ? 'Apply to production…' : 'Apply'}
                </Button>
              </Tooltip>
            </Group>
          </Group>

          {(applying || applyResult || applyFailure) && (
            <Stack gap="sm" data-testid="apply-section" role="status" aria-live="polite" aria-busy={applying}>
              {applying && (
                <Group gap="xs">
                  <Loader size="xs" />
                  <Text size="sm" fw={500}>
                    Applying to {tenant.name}…
                  </Text>
                </Group>
              )}
              {applyResult && (
                <Alert
                  color={APPLY_OUTCOME[applyResult.outcome].color}
                  variant="light"
                  title={APPLY_OUTCOME[applyResult.outcome].title}
                  data-testid="apply-outcome"
                  data-outcome={applyResult.outcome}
                >
                  <Text size="sm" data-testid="apply-message">
                    {applyResult.message}
                  </Text>
                </Alert>
              )}
              {applyFailure && (
                <ErrorAlert title="Apply stopped" data-testid="apply-error" code={applyFailure.code}>
                  {applyFailure.message}
                </ErrorAlert>
              )}
              {applying && shownSteps === null && (
                <Text size="sm" c="dimmed">
                  Reading the tenant…
                </Text>
              )}
              {shownSteps && shownSteps.length > 0 && <ApplyStepList steps={shownSteps} />}
              {applyResult?.outcome === 'blocked' &&
                applyResult.drift
                  .filter((item) => item.severity === 'blocking')
                  .map((item, index) => <DriftCard key={`${item.kind}-${index}`} item={item} />)}
            </Stack>
          )}
          {(applying || applyResult || applyFailure) && (plan || planning || planFailure) && <Divider label="Plan" labelPosition="left" />}

          {planFailure && (
            <ErrorAlert title="The tenant could not be read" data-testid="plan-error" code={planFailure.code} onRetry={() => runPlan()}>
              {planFailure.message}
            </ErrorAlert>
          )}
          {planning && !plan && <LoadingLine>Reading {tenant.domain}…</LoadingLine>}
          {plan && <PlanView plan={plan.value} stale={plan.stale} />}
          {!plan && !planning && !planFailure && (
            <Text size="sm" c="dimmed" data-testid="plan-none">
              No plan yet. “Plan” reads the tenant and changes nothing; apply works without one too, since it reads the tenant first.
            </Text>
          )}
        </Stack>
      </Paper>

      {/* ── Outbox ── */}
      <Paper withBorder radius="lg" p="lg" aria-labelledby="outbox-heading">
        <Stack gap="md">
          <div>
            <Group gap="xs">
              <Title order={3} size="h4" id="outbox-heading">
                Outbox
              </Title>
              {items && (
                <Text size="sm" c="dimmed" data-testid="outbox-waiting" data-count={waiting}>
                  {waiting === 0 ? 'nothing waiting' : `${waiting} waiting`}
                </Text>
              )}
            </Group>
            <Text size="sm" c="dimmed">
              Changes recorded for {tenant.name}. They wait here while the tenant is unreachable and go through on the next apply.
            </Text>
          </div>
          {outbox && !outbox.ok && (
            <ErrorAlert
              title="The outbox could not be read"
              data-testid="outbox-error"
              onRetry={() => void loadOutbox()}
              code={outbox.error.code}
            >
              {outbox.error.message}
            </ErrorAlert>
          )}
          {items?.length === 0 && (
            <Group gap="xs" data-testid="outbox-empty">
              <IconInbox size={18} color="var(--mantine-color-dimmed)" aria-hidden />
              <Text size="sm" c="dimmed">
                Nothing recorded yet.
              </Text>
            </Group>
          )}
          {items && items.length > 0 && <OutboxList items={items} />}
        </Stack>
      </Paper>

      <BindModal
        tenant={tenant}
        opened={bindOpened}
        session={bindSession}
        onClose={() => setBindOpened(false)}
        onBound={(binding) => {
          setBindOpened(false);
          markPlanStale();
          void loadBindings();
          void loadOutbox();
          notifications.show({
            color: 'teal',
            title: 'Binding queued in the outbox — review the plan',
            message: `${binding.subject} → ${binding.clientId}. Nothing changes in Auth0 until you apply.`,
          });
        }}
      />

      <UnbindModal
        tenant={tenant}
        binding={unbinding}
        opened={unbindOpened}
        onClose={() => setUnbindOpened(false)}
        onUnbound={(binding) => {
          setUnbindOpened(false);
          markPlanStale();
          void loadBindings();
          void loadOutbox();
          notifications.show({
            color: 'teal',
            title: 'Unbinding queued in the outbox — review the plan',
            message: `${binding.subject} is retired; apply removes its credential from ${binding.clientId}.`,
          });
        }}
      />

      <ApplyConfirmModal
        tenant={tenant}
        opened={confirmOpened}
        plan={plan && !plan.stale ? plan.value : null}
        onClose={() => setConfirmOpened(false)}
        onConfirm={(confirm) => apply(confirm)}
      />
    </Stack>
  );
}
