import { Alert, Button, Group, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useDisclosure, useHotkeys, useTimeout } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { Suspense, useState } from 'react';
import type { AuthorityKind, AuthorityView } from '../../../../shared/contract/index.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useAppData, useAppInfo } from '../../state/app-data.tsx';
import { useCommandIntent } from '../../state/command-intent.ts';
import { useRoleAbilities } from '../../state/role.ts';
import { AuthoritiesEmpty } from './AuthoritiesEmpty.tsx';
import { AuthoritiesToolbar } from './AuthoritiesToolbar.tsx';
import { lazyNamed } from '../../state/load-with-retry.ts';
import { AuthorityTable } from './AuthorityTable.tsx';

const HIGHLIGHT_MS = 4000;

// The dialogs and the drawer (and the form fields they need) are chunks of their own: this is the first
// page, and they are not part of its first paint. They are rendered closed from the start, so their
// chunks are fetched at once, right after that paint, well before an operator opens one.
const AuthorityDrawer = lazyNamed(
  () => import('./AuthorityDrawer.tsx'),
  (m) => m.AuthorityDrawer,
);
const CreateAuthorityModal = lazyNamed(
  () => import('./CreateAuthorityModal.tsx'),
  (m) => m.CreateAuthorityModal,
);
const ImportAuthorityModal = lazyNamed(
  () => import('./ImportAuthorityModal.tsx'),
  (m) => m.ImportAuthorityModal,
);

export function AuthoritiesPage({ onOpenSettings }: { onOpenSettings?: () => void }) {
  const { authorities: listed, refreshAuthorities, refreshInfo } = useAppData();
  const { vault } = useAppInfo();
  const [importOpened, importDialog] = useDisclosure(false);
  const authorities = listed?.ok ? listed.value : [];
  const roots = authorities.filter((authority) => authority.kind === 'root');

  const [createOpened, createDialog] = useDisclosure(false);
  const [createKind, setCreateKind] = useState<AuthorityKind>('root');
  const [createSession, setCreateSession] = useState(0);
  const [detailsOpened, details] = useDisclosure(false);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [highlightId, setHighlightId] = useState<string | null>(null);
  const unhighlight = useTimeout(() => setHighlightId(null), HIGHLIGHT_MS);
  // A publisher holds CA certificates only: they arrive from the signer, never made here.
  const { caKey } = useRoleAbilities();

  const openCreate = (kind: AuthorityKind) => {
    if (createOpened || !caKey) return;
    if (kind === 'issuing' && roots.length === 0) return;
    setCreateKind(kind);
    setCreateSession((session) => session + 1);
    createDialog.open();
  };

  useCommandIntent('new-root-ca', () => openCreate('root'));
  useCommandIntent('new-issuing-ca', () => openCreate('issuing'));
  useHotkeys([
    ['mod+N', () => openCreate('root')],
    ['mod+shift+N', () => openCreate('issuing')],
  ]);

  const onImported = async (authority: AuthorityView) => {
    importDialog.close();
    notifications.show({
      color: 'teal',
      title: `Imported ${authority.name}`,
      message: `${authority.kind === 'root' ? 'Root' : 'Issuing'} CA ${authority.subject}`,
    });
    await Promise.all([refreshAuthorities(), refreshInfo()]);
    setHighlightId(authority.id);
    unhighlight.clear();
    unhighlight.start();
  };

  const onCreated = async (authority: AuthorityView) => {
    createDialog.close();
    notifications.show({
      color: 'teal',
      title: `Created ${authority.name}`,
      message: `${authority.kind === 'root' ? 'Root' : 'Issuing'} CA ${authority.subject}`,
    });
    // The first key may have set up the keychain protection on the way: refresh the header too.
    const [refreshed] = await Promise.all([refreshAuthorities(), refreshInfo()]);
    if (!refreshed.ok) notifications.show({ color: 'red', title: 'The list could not be refreshed', message: refreshed.error.message });
    setHighlightId(authority.id);
    unhighlight.clear();
    unhighlight.start();
  };

  const selected = authorities.find((authority) => authority.id === selectedId) ?? null;
  const parentOf = (authority: AuthorityView | null) =>
    authority?.parentId ? (authorities.find((candidate) => candidate.id === authority.parentId)?.name ?? null) : null;

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>Authorities</Title>
          <Text c="dimmed" size="sm">
            The root and issuing CAs that sign your client certificates.
          </Text>
        </div>
        {caKey && <AuthoritiesToolbar hasRoot={roots.length > 0} onCreate={openCreate} onImport={importDialog.open} />}
      </Group>

      {vault.state === 'uninitialized' && vault.keychain.state === 'unavailable' && (
        <Alert
          color="orange"
          variant="light"
          icon={<IconAlertTriangle />}
          title="Set up key protection first"
          data-testid="ca-vault-setup-needed"
        >
          <Text size="sm">
            There is no OS keychain on this machine, so the first CA cannot be sealed the default way. Choose passphrase protection in
            Settings, then come back.
          </Text>
          {onOpenSettings && (
            <Button mt="sm" size="xs" variant="light" color="orange" onClick={onOpenSettings} data-testid="ca-open-settings">
              Open Settings
            </Button>
          )}
        </Alert>
      )}

      {listed && !listed.ok && (
        <ErrorAlert
          title="The authorities could not be listed"
          data-testid="ca-list-error"
          onRetry={() => void refreshAuthorities()}
          code={listed.error.code}
        >
          {listed.error.message}
        </ErrorAlert>
      )}

      {listed?.ok && authorities.length === 0 && caKey && <AuthoritiesEmpty onCreateRoot={() => openCreate('root')} />}
      {listed?.ok && authorities.length === 0 && !caKey && (
        <Text data-testid="ca-empty-publisher">
          No CA certificate yet. A publisher holds no CA private key: its CA certificates arrive from the signer in a transfer bundle.
        </Text>
      )}
      {authorities.length > 0 && (
        <AuthorityTable
          authorities={authorities}
          highlightId={highlightId}
          onOpen={(authority) => {
            setSelectedId(authority.id);
            details.open();
          }}
        />
      )}

      <Suspense fallback={null}>
        <ImportAuthorityModal opened={importOpened} onClose={importDialog.close} onImported={(authority) => void onImported(authority)} />
        <AuthorityDrawer opened={detailsOpened} authority={selected} parentName={parentOf(selected)} onClose={details.close} />
        <CreateAuthorityModal
          opened={createOpened}
          session={createSession}
          kind={createKind}
          roots={roots}
          onClose={createDialog.close}
          onCreated={(authority) => void onCreated(authority)}
        />
      </Suspense>
    </Stack>
  );
}
