import {
  IconCalendarDue,
  IconCertificate,
  IconHistory,
  IconLink,
  IconListDetails,
  IconArrowsExchange,
  IconServer2,
  IconSettings,
  IconStethoscope,
  IconUsersGroup,
  type Icon,
} from '@tabler/icons-react';
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import { loadWithRetry } from '../state/load-with-retry.ts';

export type PageId =
  'authorities' | 'inventory' | 'schedule' | 'edge' | 'tenants' | 'bindings' | 'diagnostics' | 'transfer' | 'audit' | 'settings';

/** What a page may ask of the shell: `go` sends the operator to another page, e.g. from an empty state. */
export interface PageProps {
  go: (id: PageId) => void;
}

export interface PageEntry {
  id: PageId;
  label: string;
  icon: Icon;
  description: string;
  /** Shown only where the folder may open a network connection (not on an offline signer). */
  network?: true;
  /** Shown only on a signer or a publisher (a standalone folder has no air gap to cross). */
  paired?: true;
  /** The page's own chunk: fetched the first time the page is shown, so the first paint carries one page, not all. */
  Page: LazyExoticComponent<ComponentType<PageProps>>;
}

/** The Mantine styles only the other pages use: the first page's are in the shell's stylesheet already. */
const otherPagesStyles = () => import('../mantine-styles-pages.ts');

/**
 * One lazy chunk per page; `pick` names the export, since the pages export by name. Every page but the
 * first waits for `otherPagesStyles` too, so none renders before its components' styles are in.
 */
function page<M>(load: () => Promise<M>, pick: (module: M) => ComponentType<PageProps>, first = false): PageEntry['Page'] {
  return lazy(async () => {
    const [module] = await Promise.all([loadWithRetry(load), first ? undefined : loadWithRetry(otherPagesStyles)]);
    return { default: pick(module) };
  });
}

// Only pages that exist get an entry; the rest of the architecture's list arrives with its pages.
// The order is the navigation's order.
export const PAGES: PageEntry[] = [
  {
    id: 'authorities',
    label: 'Authorities',
    icon: IconCertificate,
    description: 'Root and issuing CAs',
    Page: page(
      () => import('./authorities/AuthoritiesPage.tsx'),
      (m) =>
        ({ go }) => <m.AuthoritiesPage onOpenSettings={() => go('settings')} />,
      true,
    ),
  },
  {
    id: 'inventory',
    label: 'Inventory',
    icon: IconListDetails,
    description: 'Client certificates',
    Page: page(
      () => import('./inventory/InventoryPage.tsx'),
      (m) => m.InventoryPage,
    ),
  },
  {
    id: 'schedule',
    label: 'Schedule',
    icon: IconCalendarDue,
    description: 'What to renew, and when',
    Page: page(
      () => import('./schedule/SchedulePage.tsx'),
      (m) => m.SchedulePage,
    ),
  },
  {
    id: 'edge',
    label: 'Edge',
    icon: IconServer2,
    description: 'CA bundle and CRLs for nginx',
    network: true,
    Page: page(
      () => import('./edge/EdgePage.tsx'),
      (m) => m.EdgePage,
    ),
  },
  {
    id: 'tenants',
    label: 'Tenants',
    icon: IconUsersGroup,
    description: 'Auth0 tenant profiles',
    network: true,
    Page: page(
      () => import('./tenants/TenantsPage.tsx'),
      (m) => m.TenantsPage,
    ),
  },
  {
    id: 'bindings',
    label: 'Bindings',
    icon: IconLink,
    description: 'Certificates on Auth0 applications',
    network: true,
    Page: page(
      () => import('./bindings/BindingsPage.tsx'),
      (m) =>
        ({ go }) => <m.BindingsPage onOpenTenants={() => go('tenants')} />,
    ),
  },
  {
    id: 'diagnostics',
    label: 'Diagnostics',
    icon: IconStethoscope,
    description: 'Token flight check through the edge',
    network: true,
    Page: page(
      () => import('./diagnostics/DiagnosticsPage.tsx'),
      (m) =>
        ({ go }) => <m.DiagnosticsPage onOpenTenants={() => go('tenants')} onOpenBindings={() => go('bindings')} />,
    ),
  },
  {
    id: 'transfer',
    label: 'Transfer',
    icon: IconArrowsExchange,
    description: 'Bundles across the air gap',
    paired: true,
    Page: page(
      () => import('./transfer/TransferPage.tsx'),
      (m) => m.TransferPage,
    ),
  },
  {
    id: 'audit',
    label: 'Audit log',
    icon: IconHistory,
    description: 'Who did what, hash-chained',
    Page: page(
      () => import('./audit/AuditPage.tsx'),
      (m) => m.AuditPage,
    ),
  },
  {
    id: 'settings',
    label: 'Settings',
    icon: IconSettings,
    description: 'Store and key protection',
    Page: page(
      () => import('./settings/SettingsPage.tsx'),
      (m) => m.SettingsPage,
    ),
  },
];
