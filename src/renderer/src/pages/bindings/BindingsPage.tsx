import { Button, Group, Loader, Paper, Select, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconLink, IconUsersGroup } from '@tabler/icons-react';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Failure, TenantView } from '../../../../shared/contract.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useCall } from '../../state/use-call.ts';
import { SandboxCard } from '../tenants/SandboxCard.tsx';
import { TenantEnvironmentBadge } from '../tenants/TenantEnvironmentBadge.tsx';
import { ENVIRONMENT_LABEL } from '../tenants/tenant-environment.ts';
import { TenantWorkspace } from './TenantWorkspace.tsx';
import { rememberTenant, rememberedTenant } from './tenant-choice.ts';

interface Props {
  onOpenTenants: () => void;
}

/** Certificates bound to Auth0 applications, per tenant: bind, plan, apply, and the outbox of what waits. */
export function BindingsPage({ onOpenTenants }: Props) {
  const call = useCall();
  const [tenants, setTenants] = useState<TenantView[] | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [version, setVersion] = useState(0);
  const [chosen, setChosen] = useState<string | null>(rememberedTenant);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let current = true;
    void call('tenants:list', {}).then((result) => {
      if (!current) return;
      if (result.ok) setTenants(result.value);
      setFailure(result.ok ? null : result.error);
    });
    return () => {
      current = false;
    };
  }, [call, version]);

  const tenant = useMemo(() => tenants?.find((t) => t.id === chosen) ?? tenants?.[0] ?? null, [tenants, chosen]);
  const options = useMemo(() => (tenants ?? []).map((t) => ({ value: t.id, label: `${t.name} (${ENVIRONMENT_LABEL[t.environment]})` })), [tenants]);
  const environments = useMemo(() => new Map((tenants ?? []).map((t) => [t.id, t.environment])), [tenants]);
  const onBusyChange = useCallback((value: boolean) => setBusy(value), []);

  return (
    <Stack gap="lg" maw={1280}>
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <div>
          <Title order={2}>Bindings</Title>
          <Text c="dimmed" size="sm">
            Client certificates bound to Auth0 applications: record what should be live, review the plan, then apply it to the tenant.
          </Text>
        </div>
        {tenant && (
          <Group gap="xs" align="flex-end" wrap="nowrap">
            <Select
              label="Tenant"
              data={options}
              value={tenant.id}
              onChange={(value) => {
                if (!value) return;
                setChosen(value);
                rememberTenant(value);
              }}
              allowDeselect={false}
              disabled={busy}
              w={280}
              renderOption={({ option }) => {
                const environment = environments.get(option.value);
                return (
                  <Group gap="xs" justify="space-between" w="100%" wrap="nowrap">
                    <Text size="sm">{tenants?.find((t) => t.id === option.value)?.name ?? option.label}</Text>
                    {environment && <TenantEnvironmentBadge environment={environment} />}
                  </Group>
                );
              }}
              data-testid="bindings-tenant"
            />
            <TenantEnvironmentBadge environment={tenant.environment} />
          </Group>
        )}
      </Group>

      {failure && (
        <ErrorAlert title="The tenants could not be read" data-testid="bindings-tenants-error" onRetry={() => setVersion((value) => value + 1)}>
          {failure.message}
        </ErrorAlert>
      )}

      {tenants === null && !failure && (
        <Group gap="sm" role="status">
          <Loader size="sm" />
          <Text size="sm" c="dimmed">
            Reading tenants…
          </Text>
        </Group>
      )}

      {tenants?.length === 0 && (
        <>
          <Paper withBorder radius="lg" p="xl" data-testid="bindings-no-tenants">
            <Stack align="center" gap="sm" ta="center" maw={640} mx="auto">
              <ThemeIcon size={56} radius="xl" variant="light" aria-hidden>
                <IconLink size={32} />
              </ThemeIcon>
              <Title order={3} size="h3">
                No tenant to bind on
              </Title>
              <Text c="dimmed">
                A binding puts a client certificate on an application of an Auth0 tenant. Add the tenant’s profile on the Tenants page first, or start the local
                sandbox tenant below to rehearse without one.
              </Text>
              <Button variant="light" leftSection={<IconUsersGroup size={18} />} onClick={onOpenTenants} data-testid="bindings-open-tenants">
                Open Tenants
              </Button>
            </Stack>
          </Paper>
          <SandboxCard onStarted={() => setVersion((value) => value + 1)} />
        </>
      )}

      {tenant && <TenantWorkspace key={tenant.id} tenant={tenant} onBusyChange={onBusyChange} />}
    </Stack>
  );
}
