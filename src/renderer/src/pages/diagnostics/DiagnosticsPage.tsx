import { Button, Group, Loader, Paper, Select, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconStethoscope, IconUsersGroup } from '@tabler/icons-react';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Failure, TenantView } from '../../../../shared/contract.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useCall } from '../../state/use-call.ts';
import { rememberTenant, rememberedTenant } from '../bindings/tenant-choice.ts';
import { SandboxCard } from '../tenants/SandboxCard.tsx';
import { TenantEnvironmentBadge } from '../tenants/TenantEnvironmentBadge.tsx';
import { ENVIRONMENT_LABEL } from '../tenants/tenant-environment.ts';
import { DiagnosticsWorkspace } from './DiagnosticsWorkspace.tsx';

interface Props {
  onOpenTenants: () => void;
  onOpenBindings: () => void;
}

/**
 * The token flight check (RFC 8705) against a tenant through its edge: the seed's step 5, automated
 * and explained. The tenant choice is shared with the Bindings page: bind, apply, then check.
 */
export function DiagnosticsPage({ onOpenTenants, onOpenBindings }: Props) {
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
  const onTenantSaved = useCallback((saved: TenantView) => setTenants((current) => current?.map((t) => (t.id === saved.id ? saved : t)) ?? current), []);

  return (
    <Stack gap="lg" maw={1280}>
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <div>
          <Title order={2}>Diagnostics</Title>
          <Text c="dimmed" size="sm">
            Does a bound certificate really get a certificate-bound token through the edge, and does the edge refuse everything else? Each stage shows its evidence, and
            on failure the cause, the fix and the command to check by hand.
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
              data-testid="diagnostics-tenant"
            />
            <TenantEnvironmentBadge environment={tenant.environment} />
          </Group>
        )}
      </Group>

      {failure && (
        <ErrorAlert title="The tenants could not be read" data-testid="diagnostics-tenants-error" onRetry={() => setVersion((value) => value + 1)}>
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
          <Paper withBorder radius="lg" p="xl" data-testid="diagnostics-no-tenants">
            <Stack align="center" gap="sm" ta="center" maw={640} mx="auto">
              <ThemeIcon size={56} radius="xl" variant="light" aria-hidden>
                <IconStethoscope size={32} />
              </ThemeIcon>
              <Title order={3} size="h3">
                No tenant to check
              </Title>
              <Text c="dimmed">
                The flight check requests tokens from an Auth0 tenant through its mTLS edge. Add the tenant’s profile on the Tenants page first, or start the local
                sandbox tenant below to rehearse without one.
              </Text>
              <Button variant="light" leftSection={<IconUsersGroup size={18} />} onClick={onOpenTenants} data-testid="diagnostics-open-tenants">
                Open Tenants
              </Button>
            </Stack>
          </Paper>
          <SandboxCard onStarted={() => setVersion((value) => value + 1)} />
        </>
      )}

      {tenant && <DiagnosticsWorkspace key={tenant.id} tenant={tenant} onTenantSaved={onTenantSaved} onBusyChange={onBusyChange} onOpenBindings={onOpenBindings} />}
    </Stack>
  );
}
