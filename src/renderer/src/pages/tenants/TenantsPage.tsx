import { Button, Code, Group, Paper, SimpleGrid, Stack, Text, ThemeIcon, Title, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconBuildingBank, IconKey, IconLock, IconPencil, IconPlugConnected, IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import type { TenantView } from '../../../../shared/contract/index.ts';
import { DetailField } from '../../components/DetailField.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatDateTime } from '../../format/validity.ts';
import { useCall } from '../../state/use-call.ts';
import { useTenantList } from '../../state/use-tenant-list.ts';
import { AddTenantModal } from './AddTenantModal.tsx';
import { RemoveTenantModal } from './RemoveTenantModal.tsx';
import { SandboxCard } from './SandboxCard.tsx';
import { TenantEnvironmentBadge } from './TenantEnvironmentBadge.tsx';
import { TenantTestResultView, type TestOutcome } from './TenantTestResultView.tsx';
import { SECRET_STORAGE_HELP, SECRET_STORAGE_LABEL } from './tenant-environment.ts';
import { LoadingLine } from '../../components/LoadingLine.tsx';

export function TenantsPage() {
  const call = useCall();
  const { tenants, failure, reload, setTenants } = useTenantList();
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<TenantView | null>(null);
  const [removing, setRemoving] = useState<TenantView | null>(null);
  const [removeOpened, setRemoveOpened] = useState(false);
  const [testing, setTesting] = useState<ReadonlySet<string>>(new Set());
  const [outcomes, setOutcomes] = useState<ReadonlyMap<string, TestOutcome>>(new Map());

  const test = async (tenant: TenantView) => {
    setTesting((current) => new Set(current).add(tenant.id));
    const result = await call('tenants:test', { tenant: tenant.id });
    setTesting((current) => {
      const next = new Set(current);
      next.delete(tenant.id);
      return next;
    });
    setOutcomes((current) =>
      new Map(current).set(tenant.id, result.ok ? { ok: true, value: result.value } : { ok: false, error: result.error }),
    );
  };

  return (
    <Stack gap="lg" maw={1200}>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>Tenants</Title>
          <Text c="dimmed" size="sm">
            The Auth0 tenants certdesk manages mTLS client credentials in, through the Management API.
          </Text>
        </div>
        <Button leftSection={<IconPlus size={18} />} onClick={() => setAdding(true)} data-testid="tenant-add">
          Add tenant
        </Button>
      </Group>

      {failure && (
        <ErrorAlert title="The tenants could not be read" data-testid="tenants-error" onRetry={reload} code={failure.code}>
          {failure.message}
        </ErrorAlert>
      )}

      {tenants === null && !failure && <LoadingLine>Reading tenants…</LoadingLine>}

      {tenants?.length === 0 && <TenantsEmpty />}

      {tenants && tenants.length > 0 && (
        <Stack gap="md" data-testid="tenant-list">
          {tenants.map((tenant) => (
            <TenantRow
              key={tenant.id}
              tenant={tenant}
              testing={testing.has(tenant.id)}
              outcome={outcomes.get(tenant.id)}
              onTest={() => void test(tenant)}
              onEdit={() => setEditing(tenant)}
              onRemove={() => {
                setRemoving(tenant);
                setRemoveOpened(true);
              }}
            />
          ))}
        </Stack>
      )}

      <SandboxCard onStarted={reload} onStopped={reload} />

      <AddTenantModal
        opened={adding}
        onClose={() => setAdding(false)}
        onAdded={(tenant) => {
          setAdding(false);
          setTenants((current) => (current ? [...current.filter((t) => t.id !== tenant.id), tenant] : [tenant]));
          reload();
          notifications.show({
            color: 'teal',
            title: 'Tenant added',
            message: `${tenant.name} (${tenant.domain}). Test the connection to check its scopes.`,
          });
        }}
      />

      {editing && (
        <AddTenantModal
          key={editing.id}
          editing={editing}
          opened
          onClose={() => setEditing(null)}
          onAdded={(tenant) => {
            setEditing(null);
            setTenants((current) => current?.map((t) => (t.id === tenant.id ? tenant : t)) ?? null);
            reload();
            notifications.show({ color: 'teal', title: 'Tenant changed', message: `${tenant.name} (${tenant.domain}) is saved.` });
          }}
        />
      )}

      <RemoveTenantModal
        tenant={removing}
        opened={removeOpened}
        onClose={() => setRemoveOpened(false)}
        onRemoved={(tenant) => {
          setRemoveOpened(false);
          setTenants((current) => current?.filter((t) => t.id !== tenant.id) ?? null);
          setOutcomes((current) => {
            const next = new Map(current);
            next.delete(tenant.id);
            return next;
          });
          reload();
          notifications.show({
            color: 'teal',
            title: 'Tenant removed',
            message: `${tenant.name} and its stored client secret are gone from certdesk.`,
          });
        }}
      />
    </Stack>
  );
}

interface RowProps {
  tenant: TenantView;
  testing: boolean;
  outcome: TestOutcome | undefined;
  onTest: () => void;
  onEdit: () => void;
  onRemove: () => void;
}

function TenantRow({ tenant, testing, outcome, onTest, onEdit, onRemove }: RowProps) {
  return (
    <Paper
      withBorder
      radius="lg"
      p="lg"
      data-testid="tenant-row"
      data-tenant-name={tenant.name}
      data-tenant-env={tenant.environment}
      data-secret-storage={tenant.secretStorage}
      style={tenant.environment === 'production' ? { borderLeft: '4px solid var(--mantine-color-red-6)' } : undefined}
    >
      <Stack gap="md">
        <Group justify="space-between" wrap="wrap" gap="sm">
          <Group gap="sm">
            <Title order={3} size="h4">
              {tenant.name}
            </Title>
            <TenantEnvironmentBadge environment={tenant.environment} />
          </Group>
          <Group gap="xs">
            <Button
              variant="default"
              leftSection={<IconPlugConnected size={18} />}
              loading={testing}
              onClick={onTest}
              data-testid="tenant-test"
            >
              Test connection
            </Button>
            <Button variant="default" leftSection={<IconPencil size={18} />} onClick={onEdit} disabled={testing} data-testid="tenant-edit">
              Edit…
            </Button>
            <Button
              variant="subtle"
              color="red"
              leftSection={<IconTrash size={18} />}
              onClick={onRemove}
              disabled={testing}
              data-testid="tenant-remove"
            >
              Remove…
            </Button>
          </Group>
        </Group>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md" verticalSpacing="sm">
          <DetailField label="Domain" value={tenant.domain} copyable testId="tenant-domain-value" />
          <DetailField
            label="Custom domain"
            value={tenant.customDomain ?? '—'}
            copyable={tenant.customDomain !== null}
            mono={tenant.customDomain !== null}
            testId="tenant-custom-domain-value"
          />
          <DetailField label="M2M client ID" value={tenant.clientId} copyable testId="tenant-client-id-value" />
          <DetailField label="Client secret" testId="tenant-secret-storage">
            <Tooltip label={SECRET_STORAGE_HELP[tenant.secretStorage]} multiline maw={300}>
              <Group gap={6} wrap="nowrap" w="fit-content">
                {tenant.secretStorage === 'keychain' ? <IconKey size={16} aria-hidden /> : <IconLock size={16} aria-hidden />}
                <Text size="sm" data-storage={tenant.secretStorage}>
                  {SECRET_STORAGE_LABEL[tenant.secretStorage]}
                </Text>
              </Group>
            </Tooltip>
          </DetailField>
          <DetailField label="Created" value={formatDateTime(tenant.createdAt)} mono={false} testId="tenant-created" />
        </SimpleGrid>
        {outcome && !testing && <TenantTestResultView outcome={outcome} />}
      </Stack>
    </Paper>
  );
}

function TenantsEmpty() {
  return (
    <Paper withBorder radius="lg" p="xl" data-testid="tenants-empty">
      <Stack align="center" gap="sm" ta="center" maw={640} mx="auto">
        <ThemeIcon size={56} radius="xl" variant="light" aria-hidden>
          <IconBuildingBank size={32} />
        </ThemeIcon>
        <Title order={3} size="h3">
          No tenant profiles yet
        </Title>
        <Text c="dimmed">
          A tenant profile is how certdesk reaches one Auth0 tenant: a machine-to-machine application authorised for the Auth0 Management
          API, with the scopes certdesk needs to register client certificates and switch on mTLS. You give its domain, client ID and client
          secret; “Test connection” then names any scope still missing.
        </Text>
        <Text c="dimmed" size="sm" data-testid="tenants-empty-sandbox-hint">
          To rehearse without a real tenant, start the local sandbox tenant below: an Auth0 emulator on 127.0.0.1 that certdesk adds as a
          development tenant, with a demo application to bind to. From a terminal, <Code>certdesk sandbox start</Code> runs the same
          emulator (with an mTLS edge when given a CA bundle).
        </Text>
      </Stack>
    </Paper>
  );
}
