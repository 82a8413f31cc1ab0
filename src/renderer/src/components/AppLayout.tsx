import { AppShell, Burger, Group, NavLink, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import {
  IconCalendarDue,
  IconCertificate,
  IconHistory,
  IconLink,
  IconListDetails,
  IconServer2,
  IconSettings,
  IconStethoscope,
  IconUsersGroup,
  type Icon,
} from '@tabler/icons-react';
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { AuditPage } from '../pages/audit/AuditPage.tsx';
import { AuthoritiesPage } from '../pages/authorities/AuthoritiesPage.tsx';
import { BindingsPage } from '../pages/bindings/BindingsPage.tsx';
import { DiagnosticsPage } from '../pages/diagnostics/DiagnosticsPage.tsx';
import { EdgePage } from '../pages/edge/EdgePage.tsx';
import { InventoryPage } from '../pages/inventory/InventoryPage.tsx';
import { SchedulePage } from '../pages/schedule/SchedulePage.tsx';
import { SettingsPage } from '../pages/settings/SettingsPage.tsx';
import { TenantsPage } from '../pages/tenants/TenantsPage.tsx';
import { DueWatchProvider, useDueWatch } from '../state/due-watch.tsx';
import { useRoleAbilities } from '../state/role.ts';
import { AboutButton } from './AboutDialog.tsx';
import { CommandPalette } from './CommandPalette.tsx';
import { DUE_BANNER_HEIGHT, DueBanner, useDueBanner } from './DueBanner.tsx';
import { HeaderStatus } from './HeaderStatus.tsx';

export type PageId = 'authorities' | 'inventory' | 'schedule' | 'edge' | 'tenants' | 'bindings' | 'diagnostics' | 'audit' | 'settings';

const HEADER_HEIGHT = 56;

// Only pages that exist get an entry; the rest of the architecture's list arrives with its pages.
// `network`: shown only where the folder may open a network connection (not on an offline signer).
const PAGES: { id: PageId; label: string; icon: Icon; description: string; network?: true }[] = [
  { id: 'authorities', label: 'Authorities', icon: IconCertificate, description: 'Root and issuing CAs' },
  { id: 'inventory', label: 'Inventory', icon: IconListDetails, description: 'Client certificates' },
  { id: 'schedule', label: 'Schedule', icon: IconCalendarDue, description: 'What to renew, and when' },
  { id: 'edge', label: 'Edge', icon: IconServer2, description: 'CA bundle and CRLs for nginx', network: true },
  { id: 'tenants', label: 'Tenants', icon: IconUsersGroup, description: 'Auth0 tenant profiles', network: true },
  { id: 'bindings', label: 'Bindings', icon: IconLink, description: 'Certificates on Auth0 applications', network: true },
  { id: 'diagnostics', label: 'Diagnostics', icon: IconStethoscope, description: 'Token flight check through the edge', network: true },
  { id: 'audit', label: 'Audit log', icon: IconHistory, description: 'Who did what, hash-chained' },
  { id: 'settings', label: 'Settings', icon: IconSettings, description: 'Store and key protection' },
];

/** `go` lets a page send the operator to another, e.g. from an empty state. */
const PAGE_CONTENT: Record<PageId, (go: (id: PageId) => void) => ReactNode> = {
  authorities: (go) => <AuthoritiesPage onOpenSettings={() => go('settings')} />,
  inventory: () => <InventoryPage />,
  schedule: () => <SchedulePage />,
  edge: () => <EdgePage />,
  tenants: () => <TenantsPage />,
  bindings: (go) => <BindingsPage onOpenTenants={() => go('tenants')} />,
  diagnostics: (go) => <DiagnosticsPage onOpenTenants={() => go('tenants')} onOpenBindings={() => go('bindings')} />,
  audit: () => <AuditPage />,
  settings: () => <SettingsPage />,
};

export function AppLayout() {
  return (
    <DueWatchProvider>
      <Shell />
    </DueWatchProvider>
  );
}

function Shell() {
  const [page, setPage] = useState<PageId>('authorities');
  const [navOpened, { toggle, close }] = useDisclosure(false);
  const { due, refresh } = useDueWatch();
  const banner = useDueBanner(due);
  const abilities = useRoleAbilities();
  const { network } = abilities;
  const pages = useMemo(() => PAGES.filter((p) => network || !p.network), [network]);

  // Every page change re-checks what is due: an operator who just issued or renewed sees it at once.
  const shown = useRef(page);
  useEffect(() => {
    if (shown.current === page) return;
    shown.current = page;
    refresh();
  }, [page, refresh]);

  const go = useCallback(
    (id: PageId) => {
      setPage(id);
      close();
    },
    [close],
  );

  return (
    <AppShell
      // The due banner is part of the header, so the pages that fill the window still fit under it.
      header={{ height: HEADER_HEIGHT + (banner.visible ? DUE_BANNER_HEIGHT : 0) }}
      navbar={{ width: 232, breakpoint: 'sm', collapsed: { mobile: !navOpened } }}
      padding="lg"
    >
      <AppShell.Header>
        <Group h={HEADER_HEIGHT} px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={navOpened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <Title order={1} size="h4" fw={700} style={{ letterSpacing: '-0.01em' }}>
              certdesk
            </Title>
            <Text size="sm" c="dimmed" visibleFrom="md">
              private CA and certificate lifecycle
            </Text>
          </Group>
          <Group gap="xs" wrap="nowrap">
            <HeaderStatus onOpenSettings={() => go('settings')} />
            <AboutButton />
          </Group>
        </Group>
        {banner.visible && due && (
          <DueBanner due={due} onOpenSchedule={page === 'schedule' ? undefined : () => go('schedule')} onDismiss={banner.dismiss} />
        )}
      </AppShell.Header>

      <AppShell.Navbar p="xs" aria-label="Main navigation">
        <nav>
          {pages.map(({ id, label, icon: PageIcon, description }) => (
            <NavLink
              key={id}
              component="button"
              type="button"
              label={label}
              description={description}
              leftSection={<PageIcon size={20} stroke={1.6} aria-hidden />}
              active={page === id}
              aria-current={page === id ? 'page' : undefined}
              onClick={() => go(id)}
              data-testid={`nav-${id}`}
              style={{ borderRadius: 'var(--mantine-radius-md)' }}
            />
          ))}
        </nav>
      </AppShell.Navbar>

      <AppShell.Main>{PAGE_CONTENT[page](go)}</AppShell.Main>
      <CommandPalette pages={pages} go={go} abilities={abilities} />
    </AppShell>
  );
}
