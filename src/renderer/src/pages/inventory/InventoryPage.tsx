import { Group, Stack, Text, Title } from '@mantine/core';
import { useDebouncedValue, useHotkeys } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useForm } from '@mantine/form';
import { Suspense, useEffect, useMemo, useState } from 'react';
import type { CertificateDetail } from '../../../../shared/contract/index.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatDate } from '../../format/validity.ts';
import { useAppData } from '../../state/app-data.tsx';
import { usePagedList } from '../../state/use-paged-list.ts';
import { CertificateTable } from './CertificateTable.tsx';
import { InventoryEmpty } from './InventoryEmpty.tsx';
import { InventoryFilters } from './InventoryFilters.tsx';
import { InventoryToolbar } from './InventoryToolbar.tsx';
import { INVENTORY_PAGE_SIZE, NO_FILTERS, toCertificateQuery, type InventoryFilterValues } from './inventory-filters.ts';
import { useCommandIntent } from '../../state/command-intent.ts';
import { issuingAuthorities } from './issue/issue-form.ts';
import { useRoleAbilities } from '../../state/role.ts';
import { lazyNamed } from '../../state/load-with-retry.ts';

// The drawer and the dialogs are chunks of their own, asked for once the table has painted its first rows
// (or at once, when one is opened first): they are in well before an operator opens one. Loaded with the
// page, they made its first rows wait for some 40 chunks; asked for by its first render, they still cost
// those rows 20–70 ms of main-thread work (the import calls and their preload links).
const CertificateDrawer = lazyNamed(
  () => import('./CertificateDrawer.tsx'),
  (m) => m.CertificateDrawer,
);
const IssueModal = lazyNamed(
  () => import('./issue/IssueModal.tsx'),
  (m) => m.IssueModal,
);
const ImportCertificateModal = lazyNamed(
  () => import('./ImportCertificateModal.tsx'),
  (m) => m.ImportCertificateModal,
);
const LintCertificateModal = lazyNamed(
  () => import('./LintCertificateModal.tsx'),
  (m) => m.LintCertificateModal,
);

const SEARCH_DEBOUNCE_MS = 200;

type Dialog = 'issue' | 'import' | 'lint';

export function InventoryPage() {
  const { authorities: listed } = useAppData();
  const authorities = useMemo(() => (listed?.ok ? listed.value : []), [listed]);
  const issuing = useMemo(() => issuingAuthorities(authorities), [authorities]);
  const { caKey } = useRoleAbilities();
  const issueBlocked = !caKey
    ? 'This data folder is a publisher and holds no CA key: certificates are signed by the offline signer, requested in a transfer bundle.'
    : issuing.length > 0
      ? null
      : authorities.length === 0
        ? 'Create a root CA, then an issuing CA under it, on the Authorities page first.'
        : 'Create an issuing CA on the Authorities page first: client certificates are signed by an issuing CA, not by the root.';

  // Filters are never wrong, only narrow: no validate, each change reads again (the search after a pause).
  const filterForm = useForm<InventoryFilterValues>({ mode: 'controlled', initialValues: NO_FILTERS });
  const filters = filterForm.getValues();
  const [search] = useDebouncedValue(filters.search, SEARCH_DEBOUNCE_MS);
  const query = useMemo(() => toCertificateQuery(filters, search), [filters, search]);
  // The table scrolls back to the top when the query changes.
  const queryKey = JSON.stringify(query);
  const list = usePagedList('certs:list', query, INVENTORY_PAGE_SIZE);

  const [certId, setCertId] = useState<string | null>(null);
  const [detailOpened, setDetailOpened] = useState(false);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  // Every opening starts a clean form; an error keeps what was typed until the dialog is closed.
  const [session, setSession] = useState(0);

  // The drawer and dialogs mount once the first answer (rows, the empty state or an error) is painted and the
  // window is idle (right after that frame, their imports and first render still held up the frames that
  // followed), or at once when one is opened first. Once mounted they stay, so a dialog closed early still
  // closes as dialogs do, handing the focus back.
  const [extras, setExtras] = useState(false);
  const answered = list.total !== null || list.error !== null;
  useEffect(() => {
    if (extras || !answered) return;
    return whenIdle(() => setExtras(true));
  }, [extras, answered]);

  const openDialog = (which: Dialog) => {
    if (dialog) return;
    if (which === 'issue' && issueBlocked) return;
    setExtras(true);
    setSession((value) => value + 1);
    setDialog(which);
  };
  const closeDialog = () => setDialog(null);

  useHotkeys([['mod+I', () => openDialog('issue')]]);
  useCommandIntent('issue-certificate', () => openDialog('issue'));

  const openCertificate = (id: string) => {
    setExtras(true);
    setCertId(id);
    setDetailOpened(true);
  };

  const onAdded = (certificate: CertificateDetail, verb: 'Issued' | 'Imported') => {
    closeDialog();
    notifications.show({
      color: 'teal',
      title: `${verb} ${certificate.commonName ?? certificate.subject}`,
      message: `Valid until ${formatDate(certificate.notAfter)}; ${verb === 'Issued' ? `signed by ${certificate.issuerName}` : 'tracked in the inventory'}.`,
    });
    list.reload();
    openCertificate(certificate.id);
  };

  // The filters the shown total answers, not the ones still being typed.
  const filtered = Object.keys(query).length > 0;

  return (
    // The page fills the window so the table scrolls inside it, with the filters always in view.
    <Stack gap="md" h="calc(100dvh - var(--app-shell-header-offset, 0rem) - 2 * var(--app-shell-padding))" mih={520}>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>Inventory</Title>
          <Text c="dimmed" size="sm">
            Every client certificate certdesk issued or tracks, with its status and expiry.
          </Text>
        </div>
        <InventoryToolbar
          issueBlocked={issueBlocked}
          onIssue={() => openDialog('issue')}
          onImport={() => openDialog('import')}
          onLint={() => openDialog('lint')}
        />
      </Group>

      <InventoryFilters
        form={filterForm}
        authorities={authorities}
        total={list.total}
        pending={filters.search.trim() !== search.trim()}
        queryFiltered={filtered}
      />

      {list.error && (
        <ErrorAlert title="The certificates could not be listed" data-testid="cert-list-error" onRetry={list.reload} code={list.error.code}>
          {list.error.message}
        </ErrorAlert>
      )}

      {list.total === 0 ? (
        <InventoryEmpty
          filtered={filtered}
          issueBlocked={issueBlocked}
          onClearFilters={() => filterForm.setValues(NO_FILTERS)}
          onIssue={() => openDialog('issue')}
          onImport={() => openDialog('import')}
        />
      ) : (
        !(list.error && list.total === null) && (
          <CertificateTable
            list={list}
            queryKey={queryKey}
            selectedId={detailOpened ? certId : null}
            onOpen={(certificate) => openCertificate(certificate.id)}
          />
        )
      )}

      {/* One boundary each: a row opened before the chunks are in waits for the drawer's alone. */}
      {extras && (
        <>
          <Suspense fallback={null}>
            <CertificateDrawer
              opened={detailOpened}
              certId={certId}
              onClose={() => setDetailOpened(false)}
              onOpenCertificate={openCertificate}
              onChanged={list.reload}
            />
          </Suspense>
          <Suspense fallback={null}>
            <IssueModal
              opened={dialog === 'issue'}
              session={session}
              issuing={issuing}
              onClose={closeDialog}
              onIssued={(certificate) => onAdded(certificate, 'Issued')}
            />
          </Suspense>
          <Suspense fallback={null}>
            <ImportCertificateModal
              key={`import-${session}`}
              opened={dialog === 'import'}
              onClose={closeDialog}
              onImported={(certificate) => onAdded(certificate, 'Imported')}
            />
          </Suspense>
          <Suspense fallback={null}>
            <LintCertificateModal key={`lint-${session}`} opened={dialog === 'lint'} onClose={closeDialog} />
          </Suspense>
        </>
      )}
    </Stack>
  );
}

/** Runs `run` once the window is idle (within a second); returns the cancel. requestIdleCallback where there is one. */
function whenIdle(run: () => void): () => void {
  if (typeof requestIdleCallback === 'function') {
    const idle = requestIdleCallback(run, { timeout: 1000 });
    return () => cancelIdleCallback(idle);
  }
  const timer = window.setTimeout(run, 200);
  return () => window.clearTimeout(timer);
}
