import { Alert, Button, Group, List, Loader, Paper, SimpleGrid, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconArrowsMaximize, IconArrowsMinimize, IconInfoCircle, IconLink } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import {
  DIAGNOSTIC_STAGES,
  type DiagnoseInput,
  type DiagnosticsReport,
  type Failure,
  type TenantView,
} from '../../../../shared/contract/index.ts';
import { DetailField } from '../../components/DetailField.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatDateTime } from '../../format/validity.ts';
import { useCall } from '../../state/use-call.ts';
import { useChannelQuery } from '../../state/use-channel-query.ts';
import { COMMAND_FILES, STAGE_PURPOSE, STAGE_TITLE } from './diagnostic-labels.ts';
import { DiagnosticsSummary } from './DiagnosticsSummary.tsx';
import { EdgeSettingsSection } from './EdgeSettingsSection.tsx';
import { RUN_FIELDS, RunForm, type RunField, type RunRequest } from './RunForm.tsx';
import { settingsFieldOf, type SettingsField } from './settings-form.ts';
import { stageElementId } from './StageItem.tsx';
import { SaveFilesForm } from './SaveFilesForm.tsx';
import { StageList, stageSlots } from './StageList.tsx';
import { TokenPanel } from './TokenPanel.tsx';
import { newRunId, useDiagnosticStages } from './use-diagnostic-stages.ts';
import { LoadingLine } from '../../components/LoadingLine.tsx';
import { PaletteFlightCheck } from './PaletteFlightCheck.tsx';

interface Props {
  tenant: TenantView;
  onTenantSaved: (tenant: TenantView) => void;
  /** A run is going: the page keeps the tenant choice until it answers. */
  onBusyChange: (busy: boolean) => void;
  onOpenBindings: () => void;
  tenants: readonly TenantView[];
  chooseTenant: (id: string) => void;
}

interface FieldFailure<F> {
  field: F;
  message: string;
  at: number;
}

function runFieldOf(field: string | undefined): RunField | undefined {
  return RUN_FIELDS.find((f) => f === field);
}

/** One tenant's flight check: its edge settings, what to test, and the stages as they finish. Keyed by tenant. */
export function DiagnosticsWorkspace({ tenant, onTenantSaved, onBusyChange, onOpenBindings, tenants, chooseTenant }: Props) {
  const call = useCall();
  const resultsRef = useRef<HTMLDivElement>(null);

  const { result: bindings, reload: loadBindings } = useChannelQuery('bindings:list', { tenant: tenant.id });
  // Names make the application list readable; without them (tenant unreachable) the client ids still do.
  const { data: clients } = useChannelQuery('auth0:clients', { tenant: tenant.id });
  const clientNames = useMemo<ReadonlyMap<string, string>>(() => new Map((clients ?? []).map((c) => [c.clientId, c.name])), [clients]);
  const { result: listed } = useChannelQuery('certs:list', { status: 'active', limit: 1000 });
  const certificates = useMemo(
    () => (listed ? (listed.ok ? listed.value.items.filter((c) => c.keyStorage === 'sealed') : []) : null),
    [listed],
  );
  // A mutation: its per-call callbacks are not run once the workspace has unmounted.
  const runMutation = useMutation({ mutationFn: (input: DiagnoseInput) => call('diagnostics:run', input) });
  const running = runMutation.isPending;
  const [report, setReport] = useState<DiagnosticsReport | null>(null);
  const [lastRequest, setLastRequest] = useState<RunRequest | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [settingsDirty, setSettingsDirty] = useState(false);
  const [settingsFailure, setSettingsFailure] = useState<FieldFailure<SettingsField> | null>(null);
  const [runFailure, setRunFailure] = useState<FieldFailure<RunField> | null>(null);
  const [focusStage, setFocusStage] = useState<string | null>(null);
  const live = useDiagnosticStages();

  useEffect(() => onBusyChange(running), [running, onBusyChange]);

  useEffect(() => {
    if (focusStage === null) return;
    const element = document.getElementById(stageElementId(focusStage));
    element?.scrollIntoView({ block: 'start', behavior: 'smooth' });
    element?.focus({ preventScroll: true });
    setFocusStage(null);
  }, [focusStage, expanded]);

  const active = useMemo(
    () => (bindings?.ok ? bindings.value.filter((b) => b.state === 'active').sort((a, b) => b.createdAt.localeCompare(a.createdAt)) : []),
    [bindings],
  );

  const run = (request: RunRequest) => {
    setLastRequest(request);
    const runId = newRunId();
    live.begin(runId);
    setFailure(null);
    setReport(null);
    setExpanded(new Set());
    runMutation.mutate(
      { tenant: tenant.id, ...request, runId },
      {
        onSettled: () => live.end(),
        onSuccess: (result) => {
          if (result.ok) {
            setReport(result.value);
            setExpanded(new Set(result.value.stages.filter((s) => s.status === 'fail').map((s) => s.id)));
            return;
          }
          setFailure(result.error);
          const runField = runFieldOf(result.error.field);
          const settingsField = settingsFieldOf(result.error.field);
          if (runField) setRunFailure({ field: runField, message: result.error.message, at: Date.now() });
          else if (settingsField) setSettingsFailure({ field: settingsField, message: result.error.message, at: Date.now() });
        },
      },
    );
  };

  // From the palette the run starts by itself: the results are what the operator came for.
  const runFromPalette = (request: RunRequest) => {
    run(request);
    resultsRef.current?.scrollIntoView({ block: 'start' });
  };

  const toggle = (id: string) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const showStage = (id: string) => {
    setExpanded((current) => new Set(current).add(id));
    setFocusStage(id);
  };

  const slots = running || report ? stageSlots(report, live.stages) : null;
  const allExpanded = report !== null && report.stages.every((s) => expanded.has(s.id));

  return (
    <Stack gap="lg" data-testid="diagnostics-workspace" data-tenant-name={tenant.name} data-tenant-env={tenant.environment}>
      <EdgeSettingsSection
        // Its form and whether it is open start from the stored settings: when those change under it (saved
        // here, or cleared elsewhere while the page showed the list it had read before), it starts again from
        // them. Keyed by the tenant alone, a page opened on a stale list kept a folded, stale form.
        key={JSON.stringify(tenant.diagnostics)}
        tenant={tenant}
        disabled={running}
        onSaved={onTenantSaved}
        onDirtyChange={setSettingsDirty}
        fieldFailure={settingsFailure}
      />

      {/* ── What to test ── */}
      <Paper withBorder radius="lg" p="lg" aria-labelledby="diagnostics-run-heading">
        <Stack gap="md">
          <div>
            <Title order={3} size="h4" id="diagnostics-run-heading">
              Token flight check
            </Title>
            <Text size="sm" c="dimmed">
              Step 5 of the setup, automated and explained: get a certificate-bound token through the edge, check it, and check that the
              edge refuses what it must.
            </Text>
          </div>

          {bindings && !bindings.ok && (
            <ErrorAlert
              title="The bindings could not be read"
              data-testid="diagnostics-bindings-error"
              onRetry={() => void loadBindings()}
              code={bindings.error.code}
            >
              {bindings.error.message} You can still type a client ID and choose a certificate.
            </ErrorAlert>
          )}
          {bindings === null && <LoadingLine>Reading the bindings…</LoadingLine>}
          {bindings?.ok && active.length === 0 && (
            <Paper withBorder radius="md" p="md" data-testid="diagnostics-no-bindings">
              <Group gap="md" wrap="nowrap" align="flex-start">
                <ThemeIcon size={40} radius="xl" variant="light" aria-hidden>
                  <IconLink size={22} />
                </ThemeIcon>
                <Stack gap={6} style={{ flex: 1 }}>
                  <Text fw={600}>No certificate is bound on {tenant.name}</Text>
                  <Text size="sm" c="dimmed">
                    The flight check tests an application with the certificate bound to it. Bind one and apply on the Bindings page, or type
                    a client ID below and choose the certificate.
                  </Text>
                  <Button
                    variant="light"
                    leftSection={<IconLink size={18} />}
                    onClick={onOpenBindings}
                    w="fit-content"
                    data-testid="diagnostics-open-bindings"
                  >
                    Open Bindings
                  </Button>
                </Stack>
              </Group>
            </Paper>
          )}

          {bindings !== null && (
            <RunForm
              key={bindings.ok ? 'bindings' : 'by-hand'}
              tenant={tenant}
              bindings={active}
              clientNames={clientNames}
              certificates={certificates}
              running={running}
              onRun={run}
              fieldFailure={runFailure}
            />
          )}
          {settingsDirty && (
            <Alert color="orange" variant="light" icon={<IconInfoCircle />} data-testid="diagnostics-unsaved-warning">
              The edge settings have unsaved changes; a run uses the saved ones.
            </Alert>
          )}
          {failure && (
            <ErrorAlert title="The flight check did not run" data-testid="diagnostics-error" code={failure.code} data-field={failure.field}>
              {failure.message}
            </ErrorAlert>
          )}
        </Stack>
      </Paper>

      {/* ── Results ── */}
      <Paper
        ref={resultsRef}
        withBorder
        radius="lg"
        p="lg"
        aria-labelledby="diagnostics-results-heading"
        data-testid="diagnostics-results"
        data-running={String(running)}
      >
        <Stack gap="md">
          <Group justify="space-between" align="flex-end" wrap="wrap">
            <div>
              <Title order={3} size="h4" id="diagnostics-results-heading">
                Stages
              </Title>
              <Text size="sm" c="dimmed">
                {report
                  ? `Run at ${formatDateTime(report.startedAt)}.`
                  : running
                    ? `Checking ${tenant.name}…`
                    : 'What the flight check looks at, in order.'}
              </Text>
            </div>
            {report && (
              <Button
                variant="default"
                size="xs"
                leftSection={allExpanded ? <IconArrowsMinimize size={16} aria-hidden /> : <IconArrowsMaximize size={16} aria-hidden />}
                onClick={() => setExpanded(allExpanded ? new Set() : new Set(report.stages.map((s) => s.id)))}
                data-testid="diagnostics-expand-all"
              >
                {allExpanded ? 'Collapse all' : 'Expand all'}
              </Button>
            )}
          </Group>

          <div role="status" aria-live="polite">
            {running && (
              <Group gap="xs">
                <Loader size="xs" />
                <Text size="sm" fw={500}>
                  Running the flight check…
                </Text>
              </Group>
            )}
            {report && <DiagnosticsSummary report={report} onShowStage={showStage} />}
          </div>

          {report && (
            <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="md" data-testid="diagnostics-meta">
              <DetailField
                label="Token endpoint"
                value={report.tokenEndpoint ?? '(not found)'}
                copyable={report.tokenEndpoint !== null}
                testId="diagnostics-token-endpoint"
              />
              <DetailField
                label="Application"
                value={clientNames.has(report.clientId) ? `${clientNames.get(report.clientId)} · ${report.clientId}` : report.clientId}
                copyValue={report.clientId}
                copyable
              />
              <DetailField label="Audience" value={report.audience} copyable testId="diagnostics-audience-used" />
              <DetailField label="Certificate x5t#S256" value={report.thumbprintSha256} copyable />
            </SimpleGrid>
          )}

          {slots ? (
            <StageList slots={slots} report={report} expanded={expanded} onToggle={toggle} />
          ) : (
            <List type="ordered" size="sm" spacing={6} data-testid="diagnostics-stage-preview">
              {DIAGNOSTIC_STAGES.map((id) => (
                <List.Item key={id}>
                  <Text size="sm" fw={500} span>
                    {STAGE_TITLE[id]}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {STAGE_PURPOSE[id]}
                  </Text>
                </List.Item>
              ))}
            </List>
          )}

          {report && (
            <Stack gap={4} data-testid="diagnostics-files">
              <Text size="sm" fw={500}>
                Reproduce by hand
              </Text>
              <Text size="sm" c="dimmed">
                Each stage’s command repeats it with curl or openssl, from a folder holding these files:
              </Text>
              <List size="sm" spacing={2}>
                {COMMAND_FILES.map((file) => (
                  <List.Item key={file.name}>
                    <Text span ff="monospace" size="sm">
                      {file.name}
                    </Text>{' '}
                    <Text span size="sm" c="dimmed">
                      {file.what}
                    </Text>
                  </List.Item>
                ))}
              </List>
              {lastRequest && <SaveFilesForm request={{ tenant: tenant.id, ...lastRequest }} />}
            </Stack>
          )}
        </Stack>
      </Paper>

      {report && <TokenPanel report={report} />}

      <PaletteFlightCheck
        tenant={tenant}
        tenants={tenants}
        chooseTenant={chooseTenant}
        bindings={active}
        clientNames={clientNames}
        ready={bindings !== null && !running}
        onRun={runFromPalette}
        onNothingBound={(message) => setRunFailure({ field: 'clientId', message, at: Date.now() })}
      />
    </Stack>
  );
}
