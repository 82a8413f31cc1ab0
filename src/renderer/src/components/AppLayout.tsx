import { AppShell, Burger, getDefaultZIndex, Group, NavLink, Paper, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { PAGES, type PageId } from '../pages/registry.tsx';
import { useCall } from '../state/use-call.ts';
import { DueWatchProvider, useDueWatch } from '../state/due-watch.tsx';
import { useRoleAbilities } from '../state/role.ts';
import { lazyNamed, loadLaterStyles } from '../state/load-with-retry.ts';
import { AboutButton, loadAboutDialog } from './AboutButton.tsx';
import { DUE_BANNER_HEIGHT, DueBanner, useDueBanner } from './DueBanner.tsx';
import { HeaderStatus } from './HeaderStatus.tsx';
import { LoadingLine } from './LoadingLine.tsx';
import { usePaletteState } from './palette-typing.ts';

export type { PageId };

const HEADER_HEIGHT = 56;
/** The page the shell opens on. */
const FIRST_PAGE: PageId = 'authorities';

const preload = (id: PageId) => PAGES.find((p) => p.id === id)?.preload();

// The command palette and the About dialog are chunks of their own (a modal, a text field and their
// styles' code): the first paint does not wait for them. Both are fetched right after the first page's
// chunk, with the Inventory's, so Ctrl+K finds the palette there.
const loadCommandPalette = () => import('./CommandPalette.tsx');
const CommandPalette = lazyNamed(loadCommandPalette, (m) => m.CommandPalette<PageId>);

let ahead: Promise<void> | undefined;
/**
 * Called by main.tsx as the renderer starts, before the first `app:info` has answered: the first page's
 * chunk travels while the shell waits for that answer instead of after it. Once it is in, the later parts'
 * stylesheet, the Inventory's chunk (the page most visits go to next), the palette's and the About dialog's
 * follow. Not on idle: an operator who clicked Inventory within the first second found the window never
 * idle yet, and waited for the Inventory's whole chunk graph after the click. Called again (App.tsx mounts
 * the toast container when it resolves), it returns the same promise: once the first page's chunk is in,
 * whether it arrived or not.
 */
export function preloadAhead(): Promise<void> {
  const next = () => {
    void loadLaterStyles().catch(() => undefined);
    for (const entry of PAGES) if (entry.preloadNext) void entry.preload();
    void loadCommandPalette().catch(() => undefined);
    void loadAboutDialog().catch(() => undefined);
  };
  ahead ??= Promise.resolve(preload(FIRST_PAGE)).then(next, next);
  return ahead;
}

export function AppLayout() {
  return (
    <DueWatchProvider>
      <Shell />
    </DueWatchProvider>
  );
}

function Shell() {
  // Each visit to a page is a mount of its own (keyed by `visit`), so it reads afresh. Without the key, a
  // quick return while the page left for was still loading its chunk would reveal the old page as it was,
  // with what it read before the operator left it (React keeps a suspended update's old content).
  const [{ page, visit }, setView] = useState<{ page: PageId; visit: number }>({ page: FIRST_PAGE, visit: 0 });
  const [navOpened, { toggle, close }] = useDisclosure(false);
  // Ctrl+K belongs to the shell, so it works before the palette's chunk is in (the palette opens once it is).
  const palette = usePaletteState();
  const { due, refresh } = useDueWatch();
  const banner = useDueBanner(due);
  const abilities = useRoleAbilities();
  const { network, role } = abilities;
  const pages = useMemo(() => PAGES.filter((p) => (network || !p.network) && (role !== 'standalone' || !p.paired)), [network, role]);
  const CurrentPage = (PAGES.find((p) => p.id === page) ?? PAGES[0]!).Page;

  // Every page change re-checks what is due: an operator who just issued or renewed sees it at once. At
  // once, not after a pause: a banner that appears later moves the page under the operator's pointer.
  const shown = useRef(page);
  useEffect(() => {
    if (shown.current === page) return;
    shown.current = page;
    refresh();
  }, [page, refresh]);

  // What the page reads first is asked for with the click, so it travels while the page's chunk loads and renders.
  // `shown` (kept by the due check above) is the page on screen: going to it again prefetches nothing, so a
  // mounted table never loses its pages to a prefetch.
  //
  // A page whose chunk is still on its way is not mounted to suspend: "Opening the page…" stands in its place
  // until the chunk is in, and the page then mounts and renders at once. Mounted behind a Suspense fallback,
  // its reveal would be a retry, which React holds until 300 ms after the latest fallback anywhere in the app
  // was shown: an Inventory clicked as the app became ready painted its rows 300+ ms after the click, where
  // the chunk and the rows were in after 50–150 ms. The latest click wins; one on the page being opened
  // changes nothing.
  const client = useQueryClient();
  const call = useCall();
  const [opening, setOpening] = useState<PageId | null>(null);
  /** The latest ask not shown yet: an older one, once its chunk is in, finds another object here and does nothing. */
  const asked = useRef<{ id: PageId } | null>(null);
  const go = useCallback(
    (id: PageId) => {
      close();
      if (asked.current?.id === id) return;
      const entry = PAGES.find((p) => p.id === id);
      // While another page opens, the one on screen is unmounted ("Opening the page…" stands in): going back to it reads afresh.
      if (id !== shown.current || asked.current) entry?.prefetch?.(client, call);
      const ask = { id };
      const show = () => {
        if (asked.current !== ask) return;
        asked.current = null;
        setOpening(null);
        setView((current) => (current.page === id ? current : { page: id, visit: current.visit + 1 }));
      };
      asked.current = ask;
      if (!entry || entry.ready()) return show();
      setOpening(id);
      // A chunk that cannot be used still ends the wait: the page's own load then throws, as behind Suspense.
      void entry.preload().then(show, show);
    },
    [close, client, call],
  );
  const current = opening ?? page;

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
          <DueBanner due={due} onOpenSchedule={current === 'schedule' ? undefined : () => go('schedule')} onDismiss={banner.dismiss} />
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
              active={current === id}
              aria-current={current === id ? 'page' : undefined}
              onClick={() => go(id)}
              // The pointer on its way, or the keyboard on the link: the chunk is fetched before the click.
              onPointerEnter={() => void preload(id)}
              onFocus={() => void preload(id)}
              data-testid={`nav-${id}`}
              style={{ borderRadius: 'var(--mantine-radius-md)' }}
            />
          ))}
        </nav>
      </AppShell.Navbar>

      <AppShell.Main>
        {/* Each page's chunk loads on its first visit; the nav and header stay while it does. */}
        <Suspense fallback={<PageLoading />}>{opening ? <PageLoading /> : <CurrentPage key={visit} go={go} />}</Suspense>
      </AppShell.Main>
      {palette.mounted && (
        <Suspense fallback={palette.opened && <PaletteLoading />}>
          <CommandPalette
            pages={pages}
            go={go}
            abilities={abilities}
            opened={palette.opened}
            onClose={palette.close}
            query={palette.query}
            onTextChange={palette.setText}
            takeKeysAhead={palette.takeKeysAhead}
            ref={palette.handle}
          />
        </Suspense>
      )}
    </AppShell>
  );
}

/** While the palette's chunk is on its way after Ctrl+K: what is typed meanwhile is kept (palette-typing.ts). */
function PaletteLoading() {
  return (
    <Paper
      shadow="md"
      p="sm"
      withBorder
      pos="fixed"
      top="12vh"
      left="50%"
      style={{ transform: 'translateX(-50%)', zIndex: getDefaultZIndex('modal') }}
      data-testid="command-palette-loading"
    >
      <LoadingLine>Opening the command palette… (Esc closes it)</LoadingLine>
    </Paper>
  );
}

function PageLoading() {
  return <LoadingLine testId="page-loading">Opening the page…</LoadingLine>;
}
