import { getDefaultZIndex, MantineProvider } from '@mantine/core';
import { QueryClientProvider } from '@tanstack/react-query';
import { Suspense, useEffect, useState } from 'react';
import { missingWebToken, transport } from './bridge.ts';
import { AppLayout, preloadAhead } from './components/AppLayout.tsx';
import { ConnectionBanner } from './components/ConnectionBanner.tsx';
import { LoadingScreen } from './components/LoadingScreen.tsx';
import { NoTokenScreen } from './components/NoTokenScreen.tsx';
import { NoticeToasts } from './components/NoticeToasts.tsx';
import { StartupErrorScreen } from './components/StartupErrorScreen.tsx';
import { StoreChanges } from './components/StoreChanges.tsx';
import { VaultChanges } from './components/VaultChanges.tsx';
import { AppDataProvider, useAppData } from './state/app-data.tsx';
import { createQueryClient } from './state/query-client.ts';
import { UnlockPromptProvider } from './state/unlock-prompt.tsx';
import { theme } from './theme.ts';
import { lazyNamed } from './state/load-with-retry.ts';

const ToastContainer = lazyNamed(
  () => import('./components/ToastContainer.tsx'),
  (m) => m.ToastContainer,
);

const queryClient = createQueryClient();

export function App() {
  // The toast container (and the later stylesheet it waits for) comes after the first page's chunk, not
  // with the first render: toasts shown before then wait in @mantine/notifications' store.
  const [toasts, setToasts] = useState(false);
  useEffect(() => {
    let live = true;
    void preloadAhead().then(() => {
      if (live) setToasts(true);
    });
    return () => {
      live = false;
    };
  }, []);
  return (
    <QueryClientProvider client={queryClient}>
      <MantineProvider theme={theme} defaultColorScheme="auto">
        {/* Under dialogs: a toast must never cover a dialog's buttons (a dialog shows its own outcome), and one
            hovered there would never close. Over the rest of the app. */}
        {toasts && (
          <Suspense fallback={null}>
            <ToastContainer position="bottom-right" zIndex={getDefaultZIndex('modal') - 1} />
          </Suspense>
        )}
        {!missingWebToken && <NoticeToasts />}
        {!missingWebToken && <StoreChanges />}
        {transport === 'web' && !missingWebToken && <ConnectionBanner />}
        {missingWebToken ? (
          <NoTokenScreen />
        ) : (
          <AppDataProvider>
            <UnlockPromptProvider>
              <VaultChanges />
              <Boot />
            </UnlockPromptProvider>
          </AppDataProvider>
        )}
      </MantineProvider>
    </QueryClientProvider>
  );
}

/** The e2e tests wait on `app-ready`: set once the first `app:info` and `ca:list` have answered, whatever they said. */
function Boot() {
  const { ready, info } = useAppData();
  return (
    <div data-testid={ready ? 'app-ready' : 'app-loading'} aria-busy={!ready}>
      {!ready || !info ? <LoadingScreen /> : info.ok ? <AppLayout /> : <StartupErrorScreen failure={info.error} />}
    </div>
  );
}
