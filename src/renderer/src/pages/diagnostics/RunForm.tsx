import { Button, Group, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { IconPlaneDeparture } from '@tabler/icons-react';
import { useForm } from '@mantine/form';
import { useEffect, useMemo, useRef } from 'react';
import type { BindingView, CertificateSummary, DiagnoseInput, TenantView } from '../../../../shared/contract/index.ts';
import { formatDate } from '../../format/validity.ts';
import { ApplicationField } from '../../components/ApplicationField.tsx';
import { useFocusWhenIdle } from '../../state/use-focus-when-idle.ts';
import { hasWhitespace, isHttpUrl } from '../../../../shared/validation.ts';

export type RunField = 'clientId' | 'cert' | 'audience' | 'resourceUrl';
type Errors = Partial<Record<RunField, string>>;

export const RUN_FIELDS: readonly RunField[] = ['clientId', 'cert', 'audience', 'resourceUrl'];

export type RunRequest = Omit<DiagnoseInput, 'tenant' | 'runId'>;

interface Props {
  tenant: TenantView;
  /** The tenant's active bindings, newest first. */
  bindings: BindingView[];
  /** Application names read from the tenant, when it could be read. */
  clientNames: ReadonlyMap<string, string>;
  /** Active certificates whose key certdesk holds (the only ones it can test with); null while read. */
  certificates: CertificateSummary[] | null;
  running: boolean;
  onRun: (request: RunRequest) => void;
  /** A field main refused on the last run: shown on it, with the cursor there. */
  fieldFailure: { field: RunField; message: string; at: number } | null;
}

function testIdOf(field: RunField, manual: boolean): string {
  if (field === 'clientId') return manual ? 'diagnostics-client-id' : 'diagnostics-client';
  return field === 'cert' ? 'diagnostics-cert' : field === 'audience' ? 'diagnostics-audience' : 'diagnostics-resource-url';
}

/** What to test: the application (from the active bindings, or typed), the certificate, and overrides for this run only. */
interface Values {
  /** Typing a client id by hand instead of choosing one of the bound applications. */
  typing: boolean;
  choice: string | null;
  typed: string;
  cert: string | null;
  audience: string;
  resourceUrl: string;
}

/** What to test: the application (from the active bindings, or typed), the certificate, and overrides for this run only. */
export function RunForm({ tenant, bindings, clientNames, certificates, running, onRun, fieldFailure }: Props) {
  const formRef = useRef<HTMLFormElement>(null);
  const clientIds = useMemo(() => [...new Set(bindings.map((b) => b.clientId))], [bindings]);
  const clientOf = (v: Values) => (v.typing || clientIds.length === 0 ? v.typed.trim() : (v.choice ?? ''));
  // Checked on submit only; an error clears when its field changes.
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: { typing: false, choice: clientIds[0] ?? null, typed: '', cert: null, audience: '', resourceUrl: '' },
    validate: (v): Errors => {
      const found: Errors = {};
      const id = clientOf(v);
      if (!id) found.clientId = v.typing || clientIds.length === 0 ? 'Type the application’s client ID' : 'Choose the application';
      else if (hasWhitespace(id)) found.clientId = 'A client ID has no spaces';
      if (!v.cert && !bindings.some((b) => b.clientId === id))
        found.cert = 'No certificate is bound to this application: choose one to test with';
      if (hasWhitespace(v.audience.trim())) found.audience = 'An API identifier has no spaces';
      if (v.resourceUrl.trim() && !isHttpUrl(v.resourceUrl.trim())) found.resourceUrl = 'The resource URL must be an http(s) URL';
      return found;
    },
  });
  const values = form.getValues();
  const { typing, choice, cert } = values;
  const errors = form.errors as Errors;
  const focusWhenIdle = useFocusWhenIdle(formRef, running);

  const manual = typing || clientIds.length === 0;
  const clientId = clientOf(values);

  // The chosen application disappears when the bindings are read again without it.
  const { setFieldValue } = form;
  useEffect(() => {
    if (choice !== null && !clientIds.includes(choice)) setFieldValue('choice', clientIds[0] ?? null);
    if (choice === null && clientIds.length > 0) setFieldValue('choice', clientIds[0] ?? null);
  }, [clientIds, choice, setFieldValue]);

  const shownFailure = useRef<number | null>(null);
  const { setErrors } = form;
  useEffect(() => {
    if (!fieldFailure || shownFailure.current === fieldFailure.at) return;
    shownFailure.current = fieldFailure.at;
    setErrors({ [fieldFailure.field]: fieldFailure.message });
    focusWhenIdle(testIdOf(fieldFailure.field, manual));
  }, [fieldFailure, focusWhenIdle, manual, setErrors]);

  const clientOptions = useMemo(
    () => clientIds.map((id) => ({ value: id, label: `${clientNames.get(id) ?? 'Application'} · ${id}` })),
    [clientIds, clientNames],
  );
  const bound = useMemo(() => bindings.filter((b) => b.clientId === clientId), [bindings, clientId]);
  const certificateData = useMemo(() => {
    const boundIds = new Set(bound.map((b) => b.certificateId));
    const boundItems = bound.map((b) => ({ value: b.certificateId, label: `${b.subject} · until ${formatDate(b.notAfter)}` }));
    const others = (certificates ?? [])
      .filter((c) => !boundIds.has(c.id))
      .map((c) => ({ value: c.id, label: `${c.commonName ?? c.subject} · serial ${c.serialHex.slice(0, 8)}` }));
    return [
      ...(boundItems.length ? [{ group: 'Bound to this application', items: boundItems }] : []),
      ...(others.length ? [{ group: 'Other certificates whose key certdesk holds', items: others }] : []),
    ];
  }, [bound, certificates]);

  // The defaults main applies, shown as placeholders: the run's override wins over the tenant setting, which wins over the binding.
  const testedBinding = (cert ? bound.find((b) => b.certificateId === cert) : bound[0]) ?? null;
  const defaultAudience = tenant.diagnostics?.audience ?? testedBinding?.api ?? null;
  const defaultResource = tenant.diagnostics?.resourceUrl ?? null;

  // Another application: the certificate chosen for the previous one no longer applies.
  const switchMode = (byHand: boolean) => {
    form.setValues({ typing: byHand, cert: null });
    form.clearErrors();
  };
  const changeClient = (field: 'choice' | 'typed', value: string | null) => {
    form.setFieldValue(field, value ?? (field === 'typed' ? '' : null));
    form.setFieldValue('cert', null);
    form.clearFieldError('clientId');
  };

  const submit = form.onSubmit(
    (v) => {
      const request: RunRequest = { clientId: clientOf(v) };
      if (v.cert) request.cert = v.cert;
      if (v.audience.trim()) request.audience = v.audience.trim();
      if (v.resourceUrl.trim()) request.resourceUrl = v.resourceUrl.trim();
      onRun(request);
    },
    (found) => {
      const first = RUN_FIELDS.find((field) => found[field]);
      if (first) focusWhenIdle(testIdOf(first, manual));
    },
  );

  return (
    <form ref={formRef} noValidate autoComplete="off" onSubmit={submit} data-testid="diagnostics-run-form">
      <Stack gap="md">
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md" verticalSpacing="md">
          <ApplicationField
            typing={typing}
            onTypingChange={switchMode}
            canChoose={clientIds.length > 0}
            options={clientOptions}
            choice={choice}
            onChoice={(value) => changeClient('choice', value)}
            typed={values.typed}
            onTyped={(value) => changeClient('typed', value)}
            error={errors.clientId}
            disabled={running}
            chooseDescription="An application with an active binding on this tenant."
            typeDescription="The Auth0 application whose certificate-bound tokens to test."
            chooseFrom="the bound applications"
            nothingFound="No bound application matches"
            allowDeselect={false}
            testIdPrefix="diagnostics"
          />
          <Select
            label="Certificate"
            description="Its key stays in certdesk; the run unseals it for the requests and nothing else."
            placeholder={bound.length ? 'The newest certificate bound to the application' : 'Choose the certificate to test with'}
            data={certificateData}
            {...form.getInputProps('cert')}
            searchable
            clearable
            nothingFoundMessage="No certificate matches"
            disabled={running}
            data-testid="diagnostics-cert"
          />
          <TextInput
            label="Audience"
            description="For this run only. Empty: the edge settings’ audience, else the binding’s API."
            placeholder={defaultAudience ?? 'No default: type the API identifier'}
            {...form.getInputProps('audience')}
            disabled={running}
            spellCheck={false}
            data-testid="diagnostics-audience"
          />
          <TextInput
            label="Resource URL"
            description="For this run only: an API that must refuse the token without the certificate."
            placeholder={defaultResource ?? 'None: stage 8 is skipped'}
            {...form.getInputProps('resourceUrl')}
            disabled={running}
            spellCheck={false}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            data-testid="diagnostics-resource-url"
          />
        </SimpleGrid>
        <Group justify="space-between" align="center" wrap="wrap">
          <Text size="sm" c="dimmed" maw={640}>
            Eight checks, from discovery through the edge to the resource server. Nothing changes on {tenant.name}; the run is recorded in
            the audit log.
          </Text>
          <Button type="submit" leftSection={<IconPlaneDeparture size={18} aria-hidden />} loading={running} data-testid="diagnostics-run">
            Run flight check
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
