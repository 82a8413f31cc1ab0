import { Button, Group, Input, PasswordInput, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useRef, useState } from 'react';
import {
  TENANT_ENVIRONMENTS,
  type Failure,
  type TenantAddInput,
  type TenantEnvironment,
  type TenantUpdateInput,
  type TenantView,
} from '../../../../shared/contract/index.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { GuardedModal } from '../../components/GuardedModal.tsx';
import { useCall } from '../../state/use-call.ts';
import { useFocusWhenIdle } from '../../state/use-focus-when-idle.ts';
import { ENVIRONMENT_COLOR, ENVIRONMENT_LABEL, SECRET_STORAGE_HELP_TEXT } from './tenant-environment.ts';
import { cleanHostName, hasUrlScheme, hasWhitespace, isTenantDomain } from '../../../../shared/validation.ts';

type Field = 'name' | 'environment' | 'domain' | 'customDomain' | 'clientId' | 'clientSecret' | 'confirm';
type Errors = Partial<Record<Field, string>>;

const TEST_IDS: Record<Field, string> = {
  name: 'tenant-name',
  environment: 'tenant-env',
  domain: 'tenant-domain',
  customDomain: 'tenant-custom-domain',
  clientId: 'tenant-client-id',
  clientSecret: 'tenant-client-secret',
  confirm: 'tenant-edit-confirm',
};
const FIELDS = Object.keys(TEST_IDS) as Field[];

interface Values {
  name: string;
  environment: TenantEnvironment;
  domain: string;
  customDomain: string;
  clientId: string;
  /** Editing a production tenant (or making one): its current name, typed again. */
  confirm: string;
}

const EMPTY: Values = { name: '', environment: 'development', domain: '', customDomain: '', clientId: '', confirm: '' };

function valuesOf(tenant: TenantView | undefined): Values {
  if (!tenant) return EMPTY;
  return {
    name: tenant.name,
    environment: tenant.environment,
    domain: tenant.domain,
    customDomain: tenant.customDomain ?? '',
    clientId: tenant.clientId,
    confirm: '',
  };
}

/** Whether saving this edit needs the tenant's name typed: it is production, or is made production. */
function needsConfirm(editing: TenantView | undefined, values: Values): boolean {
  return editing !== undefined && (editing.environment === 'production' || values.environment === 'production');
}

function validate(values: Values, secret: string, editing: TenantView | undefined): Errors {
  const errors: Errors = {};
  if (!values.name.trim()) errors.name = 'Name the tenant, e.g. acme-prod';
  // A pasted https:// prefix and trailing slash are cleaned up; another scheme is named.
  const domain = cleanHostName(values.domain);
  if (!domain) errors.domain = 'The tenant domain is required';
  else if (hasUrlScheme(domain)) errors.domain = 'A host name such as dev-abc.us.auth0.com, without a URL scheme';
  else if (!isTenantDomain(domain)) errors.domain = 'A host name such as dev-abc.us.auth0.com';
  const custom = cleanHostName(values.customDomain);
  if (custom && (hasUrlScheme(custom) || !isTenantDomain(custom)))
    errors.customDomain = 'A host name such as auth.acme.com, without a URL scheme';
  if (!values.clientId.trim()) errors.clientId = 'The M2M application’s client ID is required';
  else if (hasWhitespace(values.clientId.trim())) errors.clientId = 'The client ID has no spaces';
  if (!secret && !editing) errors.clientSecret = 'The M2M application’s client secret is required';
  if (needsConfirm(editing, values) && values.confirm !== editing?.name) errors.confirm = `Type “${editing?.name}” to confirm`;
  return errors;
}

/** The fields an edit changes, and nothing else (no secret keeps the stored one). */
function updateOf(editing: TenantView, values: Values, secret: string): TenantUpdateInput {
  const input: TenantUpdateInput = { tenant: editing.id };
  const name = values.name.trim();
  const domain = cleanHostName(values.domain);
  const custom = cleanHostName(values.customDomain) || null;
  const clientId = values.clientId.trim();
  if (name !== editing.name) input.name = name;
  if (values.environment !== editing.environment) input.environment = values.environment;
  if (domain !== editing.domain) input.domain = domain;
  if (custom !== editing.customDomain) input.customDomain = custom;
  if (clientId !== editing.clientId) input.clientId = clientId;
  if (secret) input.clientSecret = secret;
  if (needsConfirm(editing, values)) input.confirm = values.confirm;
  return input;
}

function fieldOf(failure: Failure): Field | undefined {
  return FIELDS.find((field) => field === failure.field);
}

interface Props {
  opened: boolean;
  onClose: () => void;
  /** Called with the tenant as main stored it, after an add or an edit. */
  onAdded: (tenant: TenantView) => void;
  /** The profile to edit; absent to add one. Mount with a key per tenant so the form starts from it. */
  editing?: TenantView;
}

export function AddTenantModal({ opened, onClose, onAdded, editing }: Props) {
  const call = useCall();
  const formRef = useRef<HTMLFormElement>(null);
  // Checked on submit only (as typed values are not judged mid-word); an error clears when its field changes.
  const form = useForm<Values>({ mode: 'controlled', initialValues: valuesOf(editing) });
  const values = form.getValues();
  // Kept apart from the other values and never remembered anywhere: kept after a refusal so the
  // operator can fix another field and submit again, cleared once stored or when the dialog closes.
  const [secret, setSecret] = useState('');
  const errors = form.errors as Errors;
  const [failure, setFailure] = useState<Failure | null>(null);
  const [busy, setBusy] = useState(false);

  // Focus waits until the fields are enabled again: a disabled input refuses focus.
  const focusWhenIdle = useFocusWhenIdle(formRef, busy);
  const focus = (field: Field) => focusWhenIdle(TEST_IDS[field]);

  const reset = () => {
    form.setValues(valuesOf(editing));
    form.setErrors({});
    setSecret('');
    setFailure(null);
  };

  const close = () => {
    reset();
    onClose();
  };

  const submit = async () => {
    const found = validate(values, secret, editing);
    form.setErrors(found);
    const first = FIELDS.find((field) => found[field]);
    if (first) return focus(first);
    setFailure(null);
    setBusy(true);
    const custom = cleanHostName(values.customDomain);
    const input: TenantAddInput = {
      name: values.name.trim(),
      environment: values.environment,
      domain: cleanHostName(values.domain),
      clientId: values.clientId.trim(),
      clientSecret: secret,
      ...(custom ? { customDomain: custom } : {}),
    };
    const result = editing ? await call('tenants:update', updateOf(editing, values, secret)) : await call('tenants:add', input);
    input.clientSecret = '';
    setBusy(false);
    if (result.ok) {
      reset();
      onAdded(result.value);
      return;
    }
    const field = fieldOf(result.error);
    if (field) {
      form.setErrors({ [field]: result.error.message });
      focus(field);
    } else setFailure(result.error);
  };

  return (
    <GuardedModal
      opened={opened}
      busy={busy}
      onClose={close}
      size="lg"
      title={editing ? `Edit ${editing.name}` : 'Add an Auth0 tenant'}
      testId={editing ? 'tenant-edit-dialog' : 'tenant-add-dialog'}
    >
      <form
        ref={formRef}
        noValidate
        autoComplete="off"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <Stack>
          <TextInput
            label="Name"
            description="How certdesk and its CLI refer to this tenant."
            placeholder="acme-dev"
            {...form.getInputProps('name')}
            disabled={busy}
            required
            data-autofocus
            data-testid="tenant-name"
          />
          <Input.Wrapper
            label="Environment"
            description="Production tenants need their name typed again before removal."
            error={errors.environment}
          >
            <SegmentedControl
              fullWidth
              mt={4}
              value={values.environment}
              onChange={(value) => form.setFieldValue('environment', value as TenantEnvironment)}
              data={TENANT_ENVIRONMENTS.map((environment) => ({ value: environment, label: ENVIRONMENT_LABEL[environment] }))}
              color={ENVIRONMENT_COLOR[values.environment]}
              disabled={busy}
              data-testid="tenant-env"
            />
          </Input.Wrapper>
          <TextInput
            label="Domain"
            description="The tenant domain such as dev-abc.us.auth0.com, where the Management API lives. Not the custom domain."
            placeholder="dev-abc.us.auth0.com"
            {...form.getInputProps('domain')}
            disabled={busy}
            required
            spellCheck={false}
            data-testid="tenant-domain"
          />
          <TextInput
            label="Custom domain"
            description="Optional: the domain clients dial through the mTLS edge, such as auth.acme.com."
            placeholder="auth.acme.com"
            {...form.getInputProps('customDomain')}
            disabled={busy}
            spellCheck={false}
            data-testid="tenant-custom-domain"
          />
          <TextInput
            label="Client ID"
            description="Of the machine-to-machine application authorised for the Auth0 Management API."
            {...form.getInputProps('clientId')}
            disabled={busy}
            required
            spellCheck={false}
            data-testid="tenant-client-id"
          />
          <PasswordInput
            label="Client secret"
            description={`${editing ? 'Leave empty to keep the stored secret. ' : ''}${SECRET_STORAGE_HELP_TEXT}`}
            value={secret}
            onChange={(event) => {
              setSecret(event.currentTarget.value);
              form.clearFieldError('clientSecret');
            }}
            error={errors.clientSecret}
            disabled={busy}
            required={!editing}
            autoComplete="new-password"
            data-testid="tenant-client-secret"
          />
          {needsConfirm(editing, values) && (
            <TextInput
              label={`Type “${editing?.name}” to confirm`}
              description="A production tenant is changed only with its name typed again."
              {...form.getInputProps('confirm')}
              disabled={busy}
              spellCheck={false}
              data-testid="tenant-edit-confirm"
            />
          )}
          {failure && (
            <ErrorAlert
              title={editing ? 'The tenant was not changed' : 'The tenant was not added'}
              data-testid="tenant-add-error"
              code={failure.code}
            >
              {failure.message}
            </ErrorAlert>
          )}
          <Text size="xs" c="dimmed">
            Nothing is sent to Auth0 when {editing ? 'saving' : 'adding'}: use “Test connection” afterwards to check the credentials and
            scopes.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={close} disabled={busy}>
              Cancel
            </Button>
            <Button type="submit" loading={busy} data-testid={editing ? 'tenant-edit-submit' : 'tenant-add-submit'}>
              {editing ? 'Save changes' : 'Add tenant'}
            </Button>
          </Group>
        </Stack>
      </form>
    </GuardedModal>
  );
}
