import { Skeleton, Table } from '@mantine/core';
import { memo, type CSSProperties } from 'react';
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
// And plain cells, not Mantine's Table.Td and Text: a screen of rows is a few hundred of them, each a
// component resolving its props and styles. The cells take Table's own classes and the lines the
// styles Text would give them, from Mantine's public CSS variables, in objects made once.
const ONE_LINE = { whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' } as const;
const CELL = Table.classes.td;
// What Table.Tr would take from CertificateTable's Table: row borders (Mantine's default) and hover (its
// highlightOnHover). Change those props there, and these here.
const ROW = { className: Table.classes.tr, 'data-with-row-border': true, 'data-hover': true } as const;
const line = (size: 'sm' | 'xs', more: CSSProperties = {}): CSSProperties => ({
  margin: 0,
  fontSize: `var(--mantine-font-size-${size})`,
  lineHeight: `var(--mantine-line-height-${size})`,
  ...ONE_LINE,
  ...more,
});
const color = (name: string) => (name === 'dimmed' ? 'var(--mantine-color-dimmed)' : `var(--mantine-color-${name}-text)`);
const LINE = {
  name: line('sm', { fontWeight: 600 }),
  sm: line('sm'),
  smDimmed: line('sm', { color: color('dimmed') }),
  xsDimmed: line('xs', { color: color('dimmed') }),
  days: Object.fromEntries(Object.entries(DAYS_COLOR).map(([tone, name]) => [tone, line('xs', { color: color(name) })])),
  fingerprint: line('sm', { fontFamily: 'var(--mantine-font-family-monospace)' }),
};
const FINGERPRINT_CELL: CSSProperties = {
  display: 'flex',
  alignItems: 'center',
  flexWrap: 'nowrap',
  gap: 'calc(0.25rem * var(--mantine-scale))',
};
const ROW_STYLE: CSSProperties = { height: ROW_HEIGHT, cursor: 'pointer' };
const SELECTED_ROW_STYLE: CSSProperties = { ...ROW_STYLE, backgroundColor: 'var(--mantine-primary-color-light)' };

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
      <tr
        {...ROW}
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
      </tr>
    );
  }
  const name = certificate.commonName ?? certificate.subject;
  const expires = leafExpiryDays(certificate.notAfter, certificate.renewAt);
  const fingerprint = colonHex(certificate.sha256Hex);
  return (
    <tr
      {...ROW}
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
      style={selected ? SELECTED_ROW_STYLE : ROW_STYLE}
    >
      <td className={CELL}>
        <div style={LINE.name} title={certificate.subject}>
          {name}
        </div>
      </td>
      <td className={CELL}>
        <CertificateStatusBadge certificate={certificate} />
      </td>
      <td className={CELL}>
        <div style={LINE.sm} title={certificate.issuerName}>
          {certificate.issuerName}
        </div>
      </td>
      <td className={CELL}>
        <div style={LINE.sm}>{formatDate(certificate.notAfter)}</div>
        <div style={LINE.days[expires.tone]} data-testid="cert-row-expires" data-tone={expires.tone}>
          {expires.text}
        </div>
      </td>
      <td className={CELL}>
        <div style={LINE.sm}>{keyTypeLabel(certificate.keyType)}</div>
        <div style={LINE.xsDimmed} title={KEY_STORAGE_META[certificate.keyStorage].hint} data-testid="cert-key-storage">
          {KEY_STORAGE_META[certificate.keyStorage].label}
        </div>
      </td>
      <td className={CELL}>
        <div style={certificate.profile ? LINE.sm : LINE.smDimmed}>{certificate.profile ?? '—'}</div>
      </td>
      <td className={CELL}>
        <div style={FINGERPRINT_CELL}>
          <div style={LINE.fingerprint} aria-label={`SHA-256 ${fingerprint}`} title={fingerprint}>
            {shortFingerprint(certificate.sha256Hex, 3)}
          </div>
          <RowCopyButton value={fingerprint} label="SHA-256 fingerprint" testId="cert-copy-sha256" />
        </div>
      </td>
    </tr>
  );
});

const COLUMN_COUNT = 7;

// Skeleton's own class and variables, on plain elements, for the same reason as the cells above: a fast
// scroll fills the screen with these for a moment.
const SKELETON = Skeleton.classes.root;
const skeletonStyle = (width: string) =>
  ({
    '--skeleton-height': 'calc(0.75rem * var(--mantine-scale))',
    '--skeleton-width': width,
    '--skeleton-radius': 'var(--mantine-radius-sm)',
  }) as CSSProperties;
const PLACEHOLDER_STYLES = Array.from({ length: COLUMN_COUNT }, (_, column) => skeletonStyle(column === 0 ? '70%' : '55%'));

function Placeholders() {
  return PLACEHOLDER_STYLES.map((style, column) => (
    <td key={column} className={CELL}>
      <div className={SKELETON} data-visible data-animate style={style} />
    </td>
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
