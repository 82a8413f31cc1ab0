import { Badge, Button, Code, Collapse, Group, Paper, SimpleGrid, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconChevronDown, IconChevronRight, IconDeviceFloppy } from '@tabler/icons-react';
import { useForm } from '@mantine/form';
import { useEffect, useRef, useState } from 'react';
import type { Failure, TenantView } from '../../../../shared/contract/index.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useCall } from '../../state/use-call.ts';
import { useFocusWhenIdle } from '../../state/use-focus-when-idle.ts';
import {
  SETTINGS_FIELDS,
  SETTINGS_TEST_IDS,
  defaultDiscoveryUrl,
  sameValues,
  settingsFieldOf,
  settingsOf,
  validateSettings,
  valuesOf,
  type SettingsErrors,
  type SettingsField,
  type SettingsValues,
} from './settings-form.ts';

interface Props {
  tenant: TenantView;
  /** A run is going: the settings it uses cannot change under it. */
  disabled: boolean;
  onSaved: (tenant: TenantView) => void;
  onDirtyChange: (dirty: boolean) => void;
  /** A field to show an error on and focus, from a run that failed on a setting. */
  fieldFailure: { field: SettingsField; message: string; at: number } | null;
}

const mono = { input: { fontFamily: 'var(--mantine-font-family-monospace)' } };

/** One line on what is stored, for the collapsed section. */
function storedSummary(tenant: TenantView): string {
  const s = tenant.diagnostics;
  if (!s) return 'Not set: discovery at the default URL, the token endpoint reached by DNS.';
  return [
    s.edgeAddress ? `edge ${s.edgeAddress}` : 'edge by DNS',
    s.discoveryUrl ? 'own discovery URL' : 'default discovery URL',
    s.edgeCaPem ? 'edge CA set' : 'edge CA from the system',
    s.audience ? `audience ${s.audience}` : null,
    s.resourceUrl ? 'resource URL set' : null,
  ]
    .filter(Boolean)
    .join(' · ');
}

/** How the flight check reaches the tenant through its edge: viewed and edited here, stored on the tenant. */
export function EdgeSettingsSection({ tenant, disabled, onSaved, onDirtyChange, fieldFailure }: Props) {
  const call = useCall();
  const formRef = useRef<HTMLFormElement>(null);
  const [opened, setOpened] = useState(tenant.diagnostics === null);
  const [saved, setSaved] = useState<SettingsValues>(() => valuesOf(tenant.diagnostics));
  // Checked on save only; an error clears when its field changes.
  const form = useForm<SettingsValues>({ mode: 'controlled', initialValues: saved, validate: validateSettings });
  const values = form.getValues();
  const [failure, setFailure] = useState<Failure | null>(null);
  const [saving, setSaving] = useState(false);
  const focusWhenIdle = useFocusWhenIdle(formRef, saving || disabled);
  const dirty = !sameValues(values, saved);

  useEffect(() => onDirtyChange(dirty), [dirty, onDirtyChange]);

  // A run refused one of these settings: open the section and put the cursor on it.
  const { setFieldError } = form;
  useEffect(() => {
    if (!fieldFailure) return;
    setOpened(true);
    setFieldError(fieldFailure.field, fieldFailure.message);
    focusWhenIdle(SETTINGS_TEST_IDS[fieldFailure.field]);
  }, [fieldFailure, focusWhenIdle, setFieldError]);

  const save = async (values: SettingsValues) => {
    setFailure(null);
    setSaving(true);
    const result = await call('tenants:diagnostics', { tenant: tenant.id, settings: settingsOf(values) });
    setSaving(false);
    if (!result.ok) {
      const field = settingsFieldOf(result.error.field);
      if (field) {
        form.setErrors({ [field]: result.error.message });
        focusWhenIdle(SETTINGS_TEST_IDS[field]);
      } else setFailure(result.error);
      return;
    }
    const stored = valuesOf(result.value.diagnostics);
    setSaved(stored);
    form.setValues(stored);
    // Saved: the section folds to its one-line summary, bringing the run next to it.
    setOpened(false);
    onSaved(result.value);
    notifications.show({ color: 'teal', title: 'Edge settings saved', message: `The next flight check on ${tenant.name} uses them.` });
  };

  const input = (field: SettingsField) => ({
    ...form.getInputProps(field),
    disabled: disabled || saving,
    spellCheck: false,
    autoComplete: 'off',
    'data-testid': SETTINGS_TEST_IDS[field],
  });

  const bodyId = 'diagnostics-settings-body';
  return (
    <Paper
      withBorder
      radius="lg"
      p="lg"
      aria-labelledby="diagnostics-settings-heading"
      data-testid="diagnostics-settings"
      data-configured={String(tenant.diagnostics !== null)}
    >
      <Stack gap="md">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <div style={{ minWidth: 0 }}>
            <Group gap="xs">
              <Title order={3} size="h4" id="diagnostics-settings-heading">
                Edge settings
              </Title>
              {dirty && (
                <Badge color="orange" variant="light" tt="none" data-testid="diagnostics-settings-dirty">
                  Unsaved changes
                </Badge>
              )}
            </Group>
            <Text size="sm" c="dimmed" data-testid="diagnostics-settings-summary">
              {opened
                ? `How the flight check reaches ${tenant.name} through its edge. Stored on the tenant; no secrets.`
                : storedSummary(tenant)}
            </Text>
          </div>
          <Button
            variant="default"
            size="xs"
            leftSection={opened ? <IconChevronDown size={16} aria-hidden /> : <IconChevronRight size={16} aria-hidden />}
            onClick={() => setOpened((value) => !value)}
            aria-expanded={opened}
            aria-controls={bodyId}
            data-testid="diagnostics-settings-toggle"
            style={{ flexShrink: 0 }}
          >
            {opened ? 'Hide' : 'Edit'}
          </Button>
        </Group>

        <Collapse expanded={opened} id={bodyId}>
          <form
            ref={formRef}
            noValidate
            autoComplete="off"
            onSubmit={form.onSubmit(
              (submitted) => void save(submitted),
              (found: SettingsErrors) => {
                const first = SETTINGS_FIELDS.find((field) => found[field]);
                if (first) focusWhenIdle(SETTINGS_TEST_IDS[first]);
              },
            )}
          >
            <Stack gap="md">
              <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md" verticalSpacing="md">
                <TextInput
                  label="Discovery URL"
                  description="The tenant’s OpenID configuration. Empty: the default shown, from the custom domain (or the tenant domain)."
                  placeholder={defaultDiscoveryUrl(tenant)}
                  styles={mono}
                  {...input('discoveryUrl')}
                />
                <TextInput
                  label="Edge address"
                  description={
                    <>
                      host:port to connect to for the token endpoint, keeping its name (like <Code>curl --connect-to</Code>). Empty: by DNS.
                    </>
                  }
                  placeholder="127.0.0.1:8443"
                  styles={mono}
                  {...input('edgeAddress')}
                />
                <TextInput
                  label="Audience"
                  description="The API identifier to request tokens for. Empty: the bound API of the binding under test."
                  placeholder="https://api.example.com/"
                  {...input('audience')}
                />
                <TextInput
                  label="Resource URL"
                  description="An API URL that must refuse the token without the certificate (stage 8). Empty: stage 8 is skipped."
                  placeholder="https://api.example.com/payments"
                  styles={mono}
                  {...input('resourceUrl')}
                />
              </SimpleGrid>
              <Textarea
                label="Edge CA PEM"
                description="The CA certificate(s) the edge’s TLS server certificate chains to, when it is not from a public CA. Empty: the system’s trust store."
                placeholder={'-----BEGIN CERTIFICATE-----\n…\n-----END CERTIFICATE-----'}
                autosize
                minRows={3}
                maxRows={10}
                styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 'var(--mantine-font-size-xs)' } }}
                {...input('edgeCaPem')}
              />
              {failure && (
                <ErrorAlert title="The settings were not saved" data-testid="diagnostics-settings-error" code={failure.code}>
                  {failure.message}
                </ErrorAlert>
              )}
              <Group justify="flex-end" gap="xs">
                {dirty && (
                  <Button
                    variant="default"
                    onClick={() => {
                      // Errors stay on screen as before (a run's refusal may concern the stored value).
                      const kept = form.errors;
                      form.setValues(saved);
                      form.setErrors(kept);
                    }}
                    disabled={saving || disabled}
                    data-testid="diagnostics-settings-reset"
                  >
                    Discard changes
                  </Button>
                )}
                <Button
                  type="submit"
                  leftSection={<IconDeviceFloppy size={18} aria-hidden />}
                  loading={saving}
                  disabled={disabled || !dirty}
                  data-testid="diagnostics-settings-save"
                >
                  Save
                </Button>
              </Group>
            </Stack>
          </form>
        </Collapse>
      </Stack>
    </Paper>
  );
}
