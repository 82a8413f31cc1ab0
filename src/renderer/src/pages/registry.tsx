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
import { lazy, useState, type ComponentType } from 'react';
import type { QueryClient } from '@tanstack/react-query';
import { loadLaterStyles, loadWithRetry } from '../state/load-with-retry.ts';
import type { Call } from '../state/use-call.ts';
import { prefetchFirstPage } from '../state/use-paged-list.ts';
import { FIRST_INVENTORY_QUERY, INVENTORY_PAGE_SIZE } from './inventory/inventory-filters.ts';

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
  /**
   * The page's own chunk: fetched the first time the page is shown, so the first paint carries one page,
   * not all. Once its chunk is in (preloaded), the page renders at once, without suspending.
   */
  Page: ComponentType<PageProps>;
  /** Fetches the chunk ahead (the shell does when the pointer or the focus is on the page's link); the same fetch `Page` waits on. */
  preload: () => Promise<unknown>;
  /** Whether the chunk is in: `Page` then renders at once, without suspending. */
  ready: () => boolean;
  /** Asks for what the page reads first as the operator goes to it, so it travels while the chunk loads and renders. */
  prefetch?: (client: QueryClient, call: Call) => void;
  /** The page most visits go to next: its chunk is fetched right after the first page's, before any pointer nears it. */
  preloadNext?: true;
}

/**
 * The Mantine styles only the other pages use: the first page's are in the shell's stylesheet already.
 * After the later parts' (dialogs and drawers the pages use too), so the two stylesheets are in the
 * document in that order, as in Mantine's styles.css.
 */
const otherPagesStyles = () => loadWithRetry(loadLaterStyles).then(() => import('../mantine-styles-pages.ts'));

/**
 * One lazy chunk per page; `pick` names the export, since the pages export by name. Every page but the
 * first waits for `otherPagesStyles` too, so none renders before its components' styles are in. The
 * chunk is fetched once, whether by the page's first render or by `preload` before it.
 *
 * A page whose chunk is already in renders synchronously. Through `lazy` alone it suspended on its first
 * render even then, and React keeps a Suspense fallback on screen for at least 300 ms once shown: an
 * Inventory preloaded long before the click still showed "Opening the page…" and painted its rows
 * 300 ms late, after rendering the page once for nothing. Each mount (a visit) decides once, so a page
 * never swaps one component for the other under the operator.
 */
function page<M>(
  load: () => Promise<M>,
  pick: (module: M) => ComponentType<PageProps>,
  first = false,
): Pick<PageEntry, 'Page' | 'preload' | 'ready'> {
  let loaded: Promise<M> | undefined;
  let ready: ComponentType<PageProps> | undefined;
  const preload = () =>
    (loaded ??= Promise.all([loadWithRetry(load), first ? undefined : loadWithRetry(otherPagesStyles)]).then(([module]) => {
      ready ??= pick(module);
      return module;
    }));
  const Lazy = lazy(async () => {
    await preload();
    return { default: ready! };
  });
  function Page(props: PageProps) {
    const [Shown] = useState<ComponentType<PageProps>>(() => ready ?? Lazy);
    return <Shown {...props} />;
  }
  return { Page, preload, ready: () => ready !== undefined };
}

// Only pages that exist get an entry; the rest of the architecture's list arrives with its pages.
// The order is the navigation's order.
export const PAGES: PageEntry[] = [
  {
    id: 'authorities',
    label: 'Authorities',
    icon: IconCertificate,
    description: 'Root and issuing CAs',
    ...page(
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
    ...page(
      () => import('./inventory/InventoryPage.tsx'),
      (m) => m.InventoryPage,
    ),
    prefetch: (client, call) => prefetchFirstPage(client, call, 'certs:list', FIRST_INVENTORY_QUERY, INVENTORY_PAGE_SIZE),
    preloadNext: true,
  },
  {
    id: 'schedule',
    label: 'Schedule',
    icon: IconCalendarDue,
    description: 'What to renew, and when',
    ...page(
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
    ...page(
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
    ...page(
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
    ...page(
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
    ...page(
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
    ...page(
      () => import('./transfer/TransferPage.tsx'),
      (m) => m.TransferPage,
    ),
  },
  {
    id: 'audit',
    label: 'Audit log',
    icon: IconHistory,
    description: 'Who did what, hash-chained',
    ...page(
      () => import('./audit/AuditPage.tsx'),
      (m) => m.AuditPage,
    ),
  },
  {
    id: 'settings',
    label: 'Settings',
    icon: IconSettings,
    description: 'Store and key protection',
    ...page(
      () => import('./settings/SettingsPage.tsx'),
      (m) => m.SettingsPage,
    ),
  },
];
