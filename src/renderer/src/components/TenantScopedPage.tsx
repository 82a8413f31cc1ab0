import { Button, Group, Paper, Select, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconUsersGroup } from '@tabler/icons-react';
import { useCallback, useMemo, useState, type ReactNode } from 'react';
import type { TenantView } from '../../../shared/contract/index.ts';
import { SandboxCard } from '../pages/tenants/SandboxCard.tsx';
import { TenantEnvironmentBadge } from '../pages/tenants/TenantEnvironmentBadge.tsx';
import { ENVIRONMENT_LABEL } from '../pages/tenants/tenant-environment.ts';
import { rememberTenant, rememberedTenant } from '../state/tenant-choice.ts';
import { useTenantList } from '../state/use-tenant-list.ts';
import { ErrorAlert } from './ErrorAlert.tsx';
import { LoadingLine } from './LoadingLine.tsx';

export interface TenantScope {
  tenant: TenantView;
  /** While the page runs something on the tenant, the tenant cannot be switched. */
  onBusyChange: (busy: boolean) => void;
  /** A tenant the page changed (its diagnostics settings), so the list shows it as saved. */
  onTenantSaved: (tenant: TenantView) => void;
  /** Every tenant, for a page that asks which one (the palette's flight check). */
  tenants: readonly TenantView[];
  /** Shows another tenant, as if picked in the page's own select. */
  chooseTenant: (id: string) => void;
}

interface Props {
  title: string;
  description: ReactNode;
  /** Prefix of the page's test ids: `<prefix>-tenant`, `<prefix>-no-tenants`… */
  testIdPrefix: string;
  empty: { icon: ReactNode; title: string; text: string };
  onOpenTenants: () => void;
  children: (scope: TenantScope) => ReactNode;
}

/**
 * A page about one tenant at a time: the tenant picker (remembered across pages while the app
 * runs, labelled by environment), and the states before there is one to show.
 */
export function TenantScopedPage({ title, description, testIdPrefix, empty, onOpenTenants, children }: Props) {
  const { tenants, failure, reload, setTenants } = useTenantList();
  const [chosen, setChosen] = useState<string | null>(rememberedTenant);
  const [busy, setBusy] = useState(false);

  const tenant = useMemo(() => tenants?.find((t) => t.id === chosen) ?? tenants?.[0] ?? null, [tenants, chosen]);
  const options = useMemo(
    () => (tenants ?? []).map((t) => ({ value: t.id, label: `${t.name} (${ENVIRONMENT_LABEL[t.environment]})` })),
    [tenants],
  );
  const environments = useMemo(() => new Map((tenants ?? []).map((t) => [t.id, t.environment])), [tenants]);
  const onBusyChange = useCallback((value: boolean) => setBusy(value), []);
  const chooseTenant = useCallback((id: string) => {
    setChosen(id);
    rememberTenant(id);
  }, []);
  const onTenantSaved = useCallback(
    (saved: TenantView) => setTenants((current) => current?.map((t) => (t.id === saved.id ? saved : t)) ?? current),
    [setTenants],
  );

  return (
    <Stack gap="lg" maw={1280}>
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <div>
          <Title order={2}>{title}</Title>
          <Text c="dimmed" size="sm">
            {description}
          </Text>
        </div>
        {tenant && (
          <Group gap="xs" align="flex-end" wrap="nowrap">
            <Select
              label="Tenant"
              data={options}
              value={tenant.id}
              onChange={(value) => {
                if (value) chooseTenant(value);
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
              data-testid={`${testIdPrefix}-tenant`}
            />
            <TenantEnvironmentBadge environment={tenant.environment} />
          </Group>
        )}
      </Group>

      {failure && (
        <ErrorAlert
          title="The tenants could not be read"
          data-testid={`${testIdPrefix}-tenants-error`}
          onRetry={reload}
          code={failure.code}
        >
          {failure.message}
        </ErrorAlert>
      )}

      {tenants === null && !failure && <LoadingLine>Reading tenants…</LoadingLine>}

      {tenants?.length === 0 && (
        <>
          <Paper withBorder radius="lg" p="xl" data-testid={`${testIdPrefix}-no-tenants`}>
            <Stack align="center" gap="sm" ta="center" maw={640} mx="auto">
              <ThemeIcon size={56} radius="xl" variant="light" aria-hidden>
                {empty.icon}
              </ThemeIcon>
              <Title order={3} size="h3">
                {empty.title}
              </Title>
              <Text c="dimmed">{empty.text}</Text>
              <Button
                variant="light"
                leftSection={<IconUsersGroup size={18} />}
                onClick={onOpenTenants}
                data-testid={`${testIdPrefix}-open-tenants`}
              >
                Open Tenants
              </Button>
            </Stack>
          </Paper>
          <SandboxCard onStarted={reload} />
        </>
      )}

      {tenant && children({ tenant, onBusyChange, onTenantSaved, tenants: tenants ?? [], chooseTenant })}
    </Stack>
  );
}
