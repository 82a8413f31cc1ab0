import { Group, Skeleton, Table, Text } from '@mantine/core';
import { memo } from 'react';
import type { CertificateSummary } from '../../../../shared/contract/index.ts';
import { RowCopyButton } from '../../components/RowCopyButton.tsx';
import { KEY_STORAGE_META, STATUS_META } from '../../format/certificate-status.ts';
import { colonHex, shortFingerprint } from '../../format/fingerprint.ts';
import { keyTypeLabel } from '../../format/key-type.ts';
import { DAYS_COLOR, leafExpiryDays } from '../../format/relative-days.ts';
import { formatDate } from '../../format/validity.ts';
import { CertificateStatusBadge } from './CertificateStatusBadge.tsx';

/** Fixed: the virtualizer sizes the scroll area as rows × height without measuring each row. */
export const ROW_HEIGHT = 56;

// Native titles, not Tooltip components: dozens of rows re-render on every scroll frame.
const ONE_LINE = { whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' } as const;

interface Props {
  index: number;
  /** `undefined` while its page is on the way: the same row element then shows placeholders, so focus survives the load. */
  certificate: CertificateSummary | undefined;
  /** The one row in the tab order (roving tabindex); arrows move between rows. */
  tabbable: boolean;
  selected: boolean;
  /** Stable across renders (with index passed back) so unchanged rows skip re-rendering while scrolling. */
  onOpen: (index: number, certificate: CertificateSummary) => void;
  onFocusRow: (index: number) => void;
}

export const CertificateRow = memo(function CertificateRow({ index, certificate, tabbable, selected, onOpen, onFocusRow }: Props) {
  if (!certificate) {
    return (
      <Table.Tr
        data-index={index}
        aria-rowindex={index + 2}
        aria-busy
        tabIndex={tabbable ? 0 : -1}
        aria-label="Loading…"
        onFocus={() => onFocusRow(index)}
        data-testid="cert-row-loading"
        style={{ height: ROW_HEIGHT }}
      >
        <Placeholders />
      </Table.Tr>
    );
  }
  const name = certificate.commonName ?? certificate.subject;
  const expires = leafExpiryDays(certificate.notAfter, certificate.renewAt);
  const fingerprint = colonHex(certificate.sha256Hex);
  return (
    <Table.Tr
      data-index={index}
      aria-rowindex={index + 2}
      aria-selected={selected}
      tabIndex={tabbable ? 0 : -1}
      aria-haspopup="dialog"
      aria-label={`${name}, ${STATUS_META[certificate.status].label}, expires ${formatDate(certificate.notAfter)}. Press Enter for details.`}
      onClick={() => onOpen(index, certificate)}
      onFocus={(event) => event.target === event.currentTarget && onFocusRow(index)}
      data-testid="cert-row"
      data-cert-id={certificate.id}
      data-cert-cn={certificate.commonName ?? ''}
      data-cert-status={certificate.status}
      style={{
        height: ROW_HEIGHT,
        cursor: 'pointer',
        ...(selected ? { backgroundColor: 'var(--mantine-primary-color-light)' } : {}),
      }}
    >
      <Table.Td>
        <Text size="sm" fw={600} style={ONE_LINE} title={certificate.subject}>
          {name}
        </Text>
      </Table.Td>
      <Table.Td>
        <CertificateStatusBadge certificate={certificate} />
      </Table.Td>
      <Table.Td>
        <Text size="sm" style={ONE_LINE} title={certificate.issuerName}>
          {certificate.issuerName}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" style={ONE_LINE}>
          {formatDate(certificate.notAfter)}
        </Text>
        <Text size="xs" c={DAYS_COLOR[expires.tone]} style={ONE_LINE} data-testid="cert-row-expires" data-tone={expires.tone}>
          {expires.text}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" style={ONE_LINE}>
          {keyTypeLabel(certificate.keyType)}
        </Text>
        <Text size="xs" c="dimmed" style={ONE_LINE} title={KEY_STORAGE_META[certificate.keyStorage].hint} data-testid="cert-key-storage">
          {KEY_STORAGE_META[certificate.keyStorage].label}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" c={certificate.profile ? undefined : 'dimmed'} style={ONE_LINE}>
          {certificate.profile ?? '—'}
        </Text>
      </Table.Td>
      <Table.Td>
        <Group gap={4} wrap="nowrap">
          <Text size="sm" ff="monospace" style={ONE_LINE} aria-label={`SHA-256 ${fingerprint}`} title={fingerprint}>
            {shortFingerprint(certificate.sha256Hex, 3)}
          </Text>
          <RowCopyButton value={fingerprint} label="SHA-256 fingerprint" testId="cert-copy-sha256" />
        </Group>
      </Table.Td>
    </Table.Tr>
  );
});

const COLUMN_COUNT = 7;

function Placeholders() {
  return Array.from({ length: COLUMN_COUNT }, (_, column) => (
    <Table.Td key={column}>
      <Skeleton height={12} width={column === 0 ? '70%' : '55%'} radius="sm" />
    </Table.Td>
  ));
}

/** A row for the first page, before the total is known. */
export function LoadingRow({ index }: { index: number }) {
  return (
    <Table.Tr aria-rowindex={index + 2} aria-busy data-testid="cert-row-loading" style={{ height: ROW_HEIGHT }}>
      <Placeholders />
    </Table.Tr>
  );
}
