import { Alert, Button, Group, Loader, Select, Stack, Switch, Text, TextInput } from '@mantine/core';
import { IconAlertTriangle, IconInfoCircle } from '@tabler/icons-react';
import { useForm } from '@mantine/form';
import { useMemo, useRef, useState } from 'react';
import type { BindInput, BindingView, CertificateSummary, Failure, Result, TenantView } from '../../../../shared/contract/index.ts';
import { ApplicationField } from '../../components/ApplicationField.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { GuardedModal } from '../../components/GuardedModal.tsx';
import { formatDate } from '../../format/validity.ts';
import { useCall } from '../../state/use-call.ts';
import { useChannelQuery } from '../../state/use-channel-query.ts';
import { useFocusWhenIdle } from '../../state/use-focus-when-idle.ts';
import { TenantEnvironmentBadge } from '../tenants/TenantEnvironmentBadge.tsx';
import { hasWhitespace } from '../../../../shared/validation.ts';
import { transientNote } from '../../format/failure-note.ts';

interface Props {
  tenant: TenantView;
  opened: boolean;
  /** Changes with every opening: a fresh form even when reopened during the closing transition. */
  session: number;
  onClose: () => void;
  onBound: (binding: BindingView) => void;
}

export function BindModal({ tenant, opened, session, onClose, onBound }: Props) {
  const [busy, setBusy] = useState(false);
  return (
    <GuardedModal
      opened={opened}
      busy={busy}
      onClose={onClose}
      size="lg"
      testId="bind-dialog"
      contentAttributes={{ 'data-tenant-env': tenant.environment }}
      title={
        <Group gap="xs">
          <Text fw={600} size="lg">
            Bind a certificate on {tenant.name}
          </Text>
          <TenantEnvironmentBadge environment={tenant.environment} />
        </Group>
      }
    >
      <BindForm key={session} tenant={tenant} onBusyChange={setBusy} onCancel={onClose} onBound={onBound} />
    </GuardedModal>
  );
}

type Field = 'cert' | 'clientId' | 'api' | 'verifyAudience';
const FIELDS = ['cert', 'clientId', 'api', 'verifyAudience'] as const;
type Errors = Partial<Record<Field, string>>;

interface Values {
  cert: string | null;
  clientChoice: string | null;
  typedClientId: string;
  /** Typing a client id by hand instead of choosing one of the tenant's applications. */
  typing: boolean;
  api: string;
  /** Asked only when the binding names no API and the tenant has no default audience. */
  verifyAudience: string;
  pop: boolean;
  aliases: boolean;
}

interface FormProps {
  tenant: TenantView;
  onBusyChange: (busy: boolean) => void;
  onCancel: () => void;
  onBound: (binding: BindingView) => void;
}

function certificateLabel(cert: CertificateSummary): string {
  return `${cert.commonName ?? cert.subject} · serial ${cert.serialHex.slice(0, 8)}`;
}

function BindForm({ tenant, onBusyChange, onCancel, onBound }: FormProps) {
  const call = useCall();
  const formRef = useRef<HTMLFormElement>(null);
  const { result: listed } = useChannelQuery('certs:list', { status: 'active', limit: 1000 });
  const certificates = useMemo<Result<CertificateSummary[]> | null>(
    () => (listed ? (listed.ok ? { ok: true, value: listed.value.items } : listed) : null),
    [listed],
  );
  const { result: clients } = useChannelQuery('auth0:clients', { tenant: tenant.id });
  const { result: audiences } = useChannelQuery('auth0:verify-audience', { tenant: tenant.id });
  // A token for rotation's verify step needs an audience: the binding's API, else the tenant's default, else this answer.
  const needsAudience = audiences?.ok === true && audiences.value.defaultAudience === null && audiences.value.stored === null;
  // Checked on submit only; an error clears when its field changes.
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: {
      cert: null,
      clientChoice: null,
      typedClientId: '',
      typing: false,
      api: '',
      verifyAudience: '',
      pop: false,
      aliases: false,
    },
    validate: (v): Errors => {
      const found: Errors = {};
      const id = clientIdOf(v);
      if (!v.cert) found.cert = 'Choose the certificate to bind';
      if (!id) found.clientId = manualOf(v) ? 'Type the application’s client ID' : 'Choose the application';
      else if (hasWhitespace(id)) found.clientId = 'A client ID has no spaces';
      if (hasWhitespace(v.api.trim())) found.api = 'An API identifier has no spaces';
      if (needsAudience && !v.api.trim() && hasWhitespace(v.verifyAudience.trim()))
        found.verifyAudience = 'An API identifier has no spaces';
      return found;
    },
  });
  const values = form.getValues();
  const errors = form.errors as Errors;
  const [failure, setFailure] = useState<Failure | null>(null);
  const [busy, setBusyState] = useState(false);
  const focusWhenIdle = useFocusWhenIdle(formRef, busy);

  const setBusy = (value: boolean) => {
    setBusyState(value);
    onBusyChange(value);
  };

  const certificateById = useMemo(() => new Map((certificates?.ok ? certificates.value : []).map((c) => [c.id, c])), [certificates]);
  const certificateOptions = useMemo(
    () => (certificates?.ok ? certificates.value.map((c) => ({ value: c.id, label: certificateLabel(c) })) : []),
    [certificates],
  );
  const bindable = useMemo(() => (clients?.ok ? clients.value.filter((c) => !c.isCertdeskClient) : []), [clients]);
  const clientOptions = useMemo(
    () => bindable.map((c) => ({ value: c.clientId, label: `${c.name || 'Unnamed application'} · ${c.clientId}` })),
    [bindable],
  );

  // By hand: when the tenant could not be read, when it lists nothing to bind to, or when the operator asks.
  function manualOf(v: Values): boolean {
    return v.typing || (clients !== null && (!clients.ok || bindable.length === 0));
  }
  function clientIdOf(v: Values): string {
    return manualOf(v) ? v.typedClientId.trim() : (v.clientChoice ?? '');
  }
  const manual = manualOf(values);
  const clientTestId = manual ? 'bind-client-id' : 'bind-client';
  const noCertificates = certificates?.ok === true && certificates.value.length === 0;

  const testIdOf = (field: Field): string =>
    field === 'cert' ? 'bind-cert' : field === 'api' ? 'bind-api' : field === 'verifyAudience' ? 'bind-verify-audience' : clientTestId;
  const askAudience = needsAudience && !values.api.trim();

  const submit = async (v: Values) => {
    const { cert, api, pop, aliases, verifyAudience } = v;
    const clientId = clientIdOf(v);
    if (!cert) return;
    setFailure(null);
    setBusy(true);
    const input: BindInput = {
      cert,
      tenant: tenant.id,
      clientId,
      pop,
      endpointAliases: aliases,
      ...(api.trim() ? { api: api.trim() } : {}),
      ...(!api.trim() && needsAudience && verifyAudience.trim() ? { verifyAudience: verifyAudience.trim() } : {}),
    };
    const result = await call('bindings:create', input);
    setBusy(false);
    if (result.ok) return onBound(result.value);
    const field = FIELDS.find((f) => f === result.error.field);
    if (field) {
      form.setErrors({ [field]: result.error.message });
      focusWhenIdle(testIdOf(field));
    } else setFailure(result.error);
  };

  return (
    <form
      ref={formRef}
      noValidate
      autoComplete="off"
      onSubmit={form.onSubmit(
        (v) => void submit(v),
        (found: Errors) => {
          const first = FIELDS.find((field) => found[field]);
          if (first) focusWhenIdle(testIdOf(first));
        },
      )}
    >
      <Stack>
        <Text size="sm" c="dimmed">
          Binding records what should be live; nothing is sent to Auth0 until you apply. The change waits in the outbox.
        </Text>

        {certificates && !certificates.ok && (
          <ErrorAlert title="The certificates could not be read" data-testid="bind-certs-error" code={certificates.error.code}>
            {certificates.error.message}
          </ErrorAlert>
        )}
        {noCertificates && (
          <Alert color="orange" variant="light" icon={<IconAlertTriangle />} data-testid="bind-no-certs">
            There is no active certificate to bind. Issue a client certificate on the Inventory page first.
          </Alert>
        )}
        <Select
          label="Certificate"
          description="An active client certificate from the inventory."
          placeholder={certificates === null ? 'Reading the inventory…' : 'Search by name or serial'}
          data={certificateOptions}
          {...form.getInputProps('cert')}
          renderOption={({ option }) => {
            const summary = certificateById.get(option.value);
            return (
              <Stack gap={0}>
                <Text size="sm">{option.label}</Text>
                {summary && (
                  <Text size="xs" c="dimmed">
                    {summary.subject} · {summary.issuerName} · expires {formatDate(summary.notAfter)}
                  </Text>
                )}
              </Stack>
            );
          }}
          searchable
          nothingFoundMessage="No active certificate matches"
          rightSection={certificates === null ? <Loader size="xs" /> : undefined}
          disabled={busy || noCertificates}
          withAsterisk
          data-autofocus
          data-testid="bind-cert"
        />

        {clients === null ? (
          <Group gap="xs" role="status" data-testid="bind-clients-loading">
            <Loader size="xs" />
            <Text size="sm" c="dimmed">
              Reading the tenant’s applications…
            </Text>
          </Group>
        ) : (
          <ApplicationField
            typing={values.typing}
            onTypingChange={(value) => form.setFieldValue('typing', value)}
            canChoose={clients.ok && bindable.length > 0}
            options={clientOptions}
            choice={values.clientChoice}
            onChoice={(value) => {
              form.setFieldValue('clientChoice', value);
              form.clearFieldError('clientId');
            }}
            typed={values.typedClientId}
            onTyped={(value) => {
              form.setFieldValue('typedClientId', value);
              form.clearFieldError('clientId');
            }}
            error={errors.clientId}
            disabled={busy}
            chooseDescription="The Auth0 application whose clients authenticate with this certificate. certdesk’s own M2M application is not offered."
            typeDescription="From the Auth0 dashboard: Applications → the application → Settings."
            chooseFrom="the tenant’s applications"
            nothingFound="No application matches"
            testIdPrefix="bind"
            notice={
              <>
                {!clients.ok && (
                  <Alert
                    color="orange"
                    variant="light"
                    icon={<IconAlertTriangle />}
                    title="The applications could not be read"
                    data-testid="bind-clients-error"
                    data-code={clients.error.code}
                  >
                    <Text size="sm">{clients.error.message}</Text>
                    {transientNote(clients.error.code) && (
                      <Text size="sm" mt={4} data-testid="error-transient-note">
                        {transientNote(clients.error.code)}
                      </Text>
                    )}
                    <Text size="sm" mt={4}>
                      You can still bind: type the application’s client ID by hand. Plan and apply check it against the tenant later.
                    </Text>
                  </Alert>
                )}
                {clients.ok && bindable.length === 0 && (
                  <Alert color="blue" variant="light" icon={<IconInfoCircle />} data-testid="bind-clients-none">
                    The tenant lists no application besides certdesk’s own. Type the client ID of the application to bind.
                  </Alert>
                )}
              </>
            }
          />
        )}

        <TextInput
          label="API identifier"
          description="Optional: also require mTLS proof of possession on this API (its identifier, e.g. https://api.example.com/, or its id)."
          placeholder="https://api.example.com/"
          {...form.getInputProps('api')}
          disabled={busy}
          spellCheck={false}
          data-testid="bind-api"
        />
        {askAudience && (
          <TextInput
            label="API for verification tokens"
            description={`"${tenant.name}" has no default audience, and no API is named above: rotation checks the new certificate with a real token for this API. Asked once; kept as the tenant’s flight check audience. Optional.`}
            placeholder="https://api.example.com/"
            {...form.getInputProps('verifyAudience')}
            disabled={busy}
            spellCheck={false}
            data-testid="bind-verify-audience"
          />
        )}
        <Switch
          label="Require proof of possession"
          description="The application’s tokens are bound to the certificate (RFC 8705): a stolen token is useless without the key."
          {...form.getInputProps('pop', { type: 'checkbox' })}
          disabled={busy}
          data-testid="bind-pop"
        />
        <Switch
          label="Turn on mTLS endpoint aliases"
          description={`Clients reach the token endpoint at mtls.${tenant.customDomain ?? '<custom domain>'}; a tenant-wide setting.`}
          {...form.getInputProps('aliases', { type: 'checkbox' })}
          disabled={busy}
          data-testid="bind-aliases"
        />

        {failure && (
          <ErrorAlert title="The certificate was not bound" data-testid="bind-error" code={failure.code}>
            {failure.message}
          </ErrorAlert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel} disabled={busy}>
            Cancel
          </Button>
          <Button type="submit" loading={busy} disabled={noCertificates} data-testid="bind-submit">
            Bind certificate
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
