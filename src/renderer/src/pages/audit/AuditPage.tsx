import { Button, Group, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconHistory, IconRefresh } from '@tabler/icons-react';
import { useEffect, useMemo, useState } from 'react';
import type { AuditExportFormat, AuditRow, AuditSubject, AuditVerifyResult, Failure } from '../../../../shared/contract/index.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { downloadBase64 } from '../../format/download.ts';
import { useAppData } from '../../state/app-data.tsx';
import { useCall } from '../../state/use-call.ts';
import { usePagedList } from '../../state/use-paged-list.ts';
import { AuthorityDrawer } from '../authorities/AuthorityDrawer.tsx';
import { CertificateDrawer } from '../inventory/CertificateDrawer.tsx';
import { AuditEntryModal } from './AuditEntryModal.tsx';
import { AuditFilters, NO_AUDIT_FILTERS, toAuditFilter, type AuditFilterValues } from './AuditFilters.tsx';
import { AuditTable } from './AuditTable.tsx';
import { AuditVerifyButton, AuditVerifyOutcome } from './AuditVerify.tsx';

const countFormat = new Intl.NumberFormat();
const SUBJECT_DEBOUNCE_MS = 250;
const FILTER_FIELDS = new Set(['kinds', 'subject', 'since', 'until']);

export function AuditPage() {
  const call = useCall();
  const { authorities } = useAppData();
  const [filters, setFilters] = useState<AuditFilterValues>(NO_AUDIT_FILTERS);
  const [subjectText] = useDebouncedValue(filters.subject, SUBJECT_DEBOUNCE_MS);
  const query = useMemo(() => toAuditFilter(filters, subjectText), [filters, subjectText]);
  // `audit:list` pages newest first (seq descending), the order the table shows; the core filters in SQL.
  const list = usePagedList('audit:list', query, 200);
  const [kinds, setKinds] = useState<string[]>([]);
  const [exporting, setExporting] = useState<AuditExportFormat | null>(null);
  const [exportFailure, setExportFailure] = useState<Failure | null>(null);
  const [entry, setEntry] = useState<AuditRow | null>(null);
  const [certId, setCertId] = useState<string | null>(null);
  const [certOpened, setCertOpened] = useState(false);
  const [caId, setCaId] = useState<string | null>(null);
  const [caOpened, setCaOpened] = useState(false);

  useEffect(() => {
    void call('audit:kinds', {}).then((result) => result.ok && setKinds(result.value));
  }, [call, list.total]);

  const cas = authorities?.ok ? authorities.value : [];
  const ca = cas.find((candidate) => candidate.id === caId) ?? null;
  const parentName = ca?.parentId ? (cas.find((candidate) => candidate.id === ca.parentId)?.name ?? null) : null;

  const openSubject = (subject: AuditSubject) => {
    if (subject.certificateId) {
      setCertId(subject.certificateId);
      setCertOpened(true);
    } else if (subject.caId) {
      setCaId(subject.caId);
      setCaOpened(true);
    }
  };

  const exportRows = async (format: AuditExportFormat) => {
    setExporting(format);
    setExportFailure(null);
    const result = await call('audit:export', { ...query, format });
    setExporting(null);
    if (!result.ok) return setExportFailure(result.error);
    const file = result.value;
    // Web mode: a browser download. The desktop app: main saved it where the operator chose in its dialog.
    if (file.contentBase64 !== undefined) downloadBase64(file.filename, file.contentBase64);
    notifications.show({
      color: 'teal',
      title: file.writtenTo ? `Saved ${file.rows} entries` : `Downloaded ${file.filename}`,
      message: file.writtenTo ? `Saved to ${file.writtenTo}` : `${file.rows} ${file.rows === 1 ? 'entry' : 'entries'}, as filtered.`,
    });
  };

  const filterFailure = list.error?.field && FILTER_FIELDS.has(list.error.field) ? list.error : null;
  const [verifying, setVerifying] = useState(false);
  const [verified, setVerified] = useState<AuditVerifyResult | null>(null);
  const [verifyFailure, setVerifyFailure] = useState<Failure | null>(null);

  const verify = async () => {
    setVerifying(true);
    setVerifyFailure(null);
    const result = await call('audit:verify', {});
    setVerifying(false);
    if (result.ok) setVerified(result.value);
    else {
      setVerified(null);
      setVerifyFailure(result.error);
    }
  };

  return (
    <Stack gap="md" h="calc(100dvh - var(--app-shell-header-offset, 0rem) - 2 * var(--app-shell-padding))" mih={480}>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>Audit log</Title>
          <Text c="dimmed" size="sm">
            Every change certdesk made, newest first. Each entry carries the hash of the one before and a MAC under a key in the OS
            keychain, and checkpoints outside the database record the last entry: an edit, a deletion or a cut-off end breaks the check.
          </Text>
        </div>
        <Group gap="sm">
          <Button variant="default" leftSection={<IconRefresh size={18} />} onClick={list.reload} data-testid="audit-refresh">
            Refresh
          </Button>
          <AuditVerifyButton busy={verifying} onVerify={() => void verify()} />
        </Group>
      </Group>

      <AuditVerifyOutcome result={verified} failure={verifyFailure} />

      <AuditFilters
        values={filters}
        kinds={[...new Set([...kinds, ...filters.kinds])]}
        onChange={setFilters}
        exporting={exporting}
        onExport={(format) => void exportRows(format)}
        fieldError={filterFailure ? { field: filterFailure.field!, message: filterFailure.message } : null}
      />

      {exportFailure && (
        <ErrorAlert title="The export failed" data-testid="audit-export-error" code={exportFailure.code}>
          {exportFailure.message}
        </ErrorAlert>
      )}

      {list.error && !filterFailure && (
        <ErrorAlert title="The audit log could not be read" data-testid="audit-list-error" onRetry={list.reload} code={list.error.code}>
          {list.error.message}
        </ErrorAlert>
      )}

      {list.total === 0 && Object.keys(query).length > 0 ? (
        <Paper withBorder radius="lg" p="lg" data-testid="audit-no-match">
          <Text size="sm" c="dimmed">
            No entry matches these filters.
          </Text>
        </Paper>
      ) : list.total === 0 ? (
        <Paper withBorder radius="lg" p="xl" data-testid="audit-empty">
          <Stack align="center" gap="sm" ta="center">
            <ThemeIcon size={48} radius="xl" variant="light" aria-hidden>
              <IconHistory size={26} />
            </ThemeIcon>
            <Title order={3} size="h4">
              Nothing recorded yet
            </Title>
            <Text size="sm" c="dimmed" maw={520}>
              Creating an authority, issuing, renewing, revoking or exporting a certificate each add an entry here.
            </Text>
          </Stack>
        </Paper>
      ) : (
        <>
          {list.total !== null && (
            <Text size="sm" c="dimmed" data-testid="audit-total">
              {countFormat.format(list.total)} {list.total === 1 ? 'entry' : 'entries'}
            </Text>
          )}
          <AuditTable list={list} onOpenSubject={openSubject} onOpenEntry={setEntry} />
        </>
      )}

      <AuditEntryModal entry={entry} onClose={() => setEntry(null)} />
      <CertificateDrawer
        opened={certOpened}
        certId={certId}
        onClose={() => setCertOpened(false)}
        onOpenCertificate={(id) => setCertId(id)}
        onChanged={list.reload}
      />
      <AuthorityDrawer opened={caOpened} authority={ca} parentName={parentName} onClose={() => setCaOpened(false)} />
    </Stack>
  );
}
