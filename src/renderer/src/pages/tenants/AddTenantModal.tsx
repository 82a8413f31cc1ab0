import { Button, Group, Input, PasswordInput, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useRef, useState } from 'react';
import {
  TENANT_ENVIRONMENTS,
  type Failure,
  type TenantAddInput,
  type TenantEnvironment,
  type TenantView,
} from '../../../../shared/contract/index.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { GuardedModal } from '../../components/GuardedModal.tsx';
import { useCall } from '../../state/use-call.ts';
import { ENVIRONMENT_COLOR, ENVIRONMENT_LABEL } from './tenant-environment.ts';
import { hasUrlScheme, hasWhitespace, isTenantDomain } from '../../../../shared/validation.ts';

type Field = 'name' | 'environment' | 'domain' | 'customDomain' | 'clientId' | 'clientSecret';
type Errors = Partial<Record<Field, string>>;

const TEST_IDS: Record<Field, string> = {
  name: 'tenant-name',
  environment: 'tenant-env',
  domain: 'tenant-domain',
  customDomain: 'tenant-custom-domain',
  clientId: 'tenant-client-id',
  clientSecret: 'tenant-client-secret',
};
const FIELDS = Object.keys(TEST_IDS) as Field[];

interface Values {
  name: string;
  environment: TenantEnvironment;
  domain: string;
  customDomain: string;
  clientId: string;
}

const EMPTY: Values = { name: '', environment: 'development', domain: '', customDomain: '', clientId: '' };

function validate(values: Values, secret: string): Errors {
  const errors: Errors = {};
  if (!values.name.trim()) errors.name = 'Name the tenant, e.g. acme-prod';
  const domain = values.domain.trim();
  if (!domain) errors.domain = 'The tenant domain is required';
  else if (hasUrlScheme(domain)) errors.domain = 'A host name such as dev-abc.us.auth0.com, without https://';
  else if (!isTenantDomain(domain)) errors.domain = 'A host name such as dev-abc.us.auth0.com';
  const custom = values.customDomain.trim();
  if (custom && (hasUrlScheme(custom) || !isTenantDomain(custom)))
    errors.customDomain = 'A host name such as auth.acme.com, without https://';
  if (!values.clientId.trim()) errors.clientId = 'The M2M application’s client ID is required';
  else if (hasWhitespace(values.clientId.trim())) errors.clientId = 'The client ID has no spaces';
  if (!secret) errors.clientSecret = 'The M2M application’s client secret is required';
  return errors;
}

function fieldOf(failure: Failure): Field | undefined {
  return FIELDS.find((field) => field === failure.field);
}

interface Props {
  opened: boolean;
  onClose: () => void;
  onAdded: (tenant: TenantView) => void;
}

export function AddTenantModal({ opened, onClose, onAdded }: Props) {
  const call = useCall();
  const formRef = useRef<HTMLFormElement>(null);
  // Checked on submit only (as typed values are not judged mid-word); an error clears when its field changes.
  const form = useForm<Values>({ mode: 'controlled', initialValues: EMPTY });
  const values = form.getValues();
  // Kept apart from the other values: cleared as soon as main answers, never remembered anywhere.
  const [secret, setSecret] = useState('');
  const [secretCleared, setSecretCleared] = useState(false);
  const errors = form.errors as Errors;
  const [failure, setFailure] = useState<Failure | null>(null);
  const [busy, setBusy] = useState(false);

  const focus = (field: Field) => {
    requestAnimationFrame(() => {
      const element = formRef.current?.querySelector<HTMLElement>(`[data-testid="${TEST_IDS[field]}"]`);
      (element?.matches('input, button') ? element : element?.querySelector<HTMLElement>('input, button'))?.focus();
    });
  };

  const reset = () => {
    form.reset();
    setSecret('');
    setSecretCleared(false);
    setFailure(null);
  };

  const close = () => {
    reset();
    onClose();
  };

  const submit = async () => {
    const found = validate(values, secret);
    form.setErrors(found);
    const first = FIELDS.find((field) => found[field]);
    if (first) return focus(first);
    setFailure(null);
    setBusy(true);
    const input: TenantAddInput = {
      name: values.name.trim(),
      environment: values.environment,
      domain: values.domain.trim(),
      clientId: values.clientId.trim(),
      clientSecret: secret,
      ...(values.customDomain.trim() ? { customDomain: values.customDomain.trim() } : {}),
    };
    const result = await call('tenants:add', input);
    // Whatever the answer, the secret leaves the renderer's state now.
    input.clientSecret = '';
    setSecret('');
    setBusy(false);
    if (result.ok) {
      reset();
      onAdded(result.value);
      return;
    }
    setSecretCleared(true);
    const field = fieldOf(result.error);
    if (field) {
      form.setErrors({ [field]: result.error.message });
      focus(field);
    } else setFailure(result.error);
  };

  return (
    <GuardedModal opened={opened} busy={busy} onClose={close} size="lg" title="Add an Auth0 tenant" testId="tenant-add-dialog">
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
            description={
              secretCleared && !secret
                ? 'Cleared after the attempt: type it again. It is stored in the OS keychain, never in the database or logs.'
                : 'Stored in the OS keychain (sealed under the vault key in passphrase mode), never in the database or logs.'
            }
            value={secret}
            onChange={(event) => {
              setSecret(event.currentTarget.value);
              form.clearFieldError('clientSecret');
            }}
            error={errors.clientSecret}
            disabled={busy}
            required
            autoComplete="new-password"
            data-testid="tenant-client-secret"
          />
          {failure && (
            <ErrorAlert title="The tenant was not added" data-testid="tenant-add-error" code={failure.code}>
              {failure.message}
            </ErrorAlert>
          )}
          <Text size="xs" c="dimmed">
            Nothing is sent to Auth0 when adding: use “Test connection” afterwards to check the credentials and scopes.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={close} disabled={busy}>
              Cancel
            </Button>
            <Button type="submit" loading={busy} data-testid="tenant-add-submit">
              Add tenant
            </Button>
          </Group>
        </Stack>
      </form>
    </GuardedModal>
  );
}
