import { Paper, Table } from '@mantine/core';
import { IconArrowUp } from '@tabler/icons-react';
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { CertificateSummary } from '../../../../shared/contract/index.ts';
import type { PagedList } from '../../state/use-paged-list.ts';
import { useVirtualRows } from '../../state/use-virtual-rows.ts';
import { CertificateRow, LoadingRow, ROW_HEIGHT } from './CertificateRow.tsx';

const HEADER_HEIGHT = 40;
// certs:list pages by expiry, soonest first: the order a renewal schedule is worked through.
const COLUMNS: { label: string; width: string; sorted?: true }[] = [
  { label: 'Common name', width: '26%' },
  { label: 'Status', width: '128px' },
  { label: 'Issuer', width: '14%' },
  { label: 'Expires', width: '140px', sorted: true },
  { label: 'Key', width: '140px' },
  { label: 'Profile', width: '15%' },
  { label: 'SHA-256', width: '200px' },
];

interface Props {
  list: PagedList<CertificateSummary>;
  /** Changes with the filters: the table returns to the top. */
  queryKey: string;
  /** The certificate open in the detail panel. */
  selectedId: string | null;
  onOpen: (certificate: CertificateSummary) => void;
}

/**
 * Only the rows in view (plus a margin) are in the DOM; spacer rows stand in for the rest, so the
 * scroll bar is sized by `total` while 100,000 certificates cost a few dozen elements.
 */
export function CertificateTable({ list, queryKey, selectedId, onOpen }: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [activeIndex, setActiveIndex] = useState(0);
  // Set by the keyboard: the row at activeIndex takes focus as soon as it is rendered.
  const wantFocus = useRef(false);
  const total = list.total ?? 0;

  const { items, paddingTop, paddingBottom, scrollToIndex, scrollToTop } = useVirtualRows(
    scrollRef,
    total,
    ROW_HEIGHT,
    HEADER_HEIGHT,
    list.ensure,
  );

  useEffect(() => {
    scrollToTop();
    setActiveIndex(0);
  }, [queryKey, scrollToTop]);

  useEffect(() => {
    if (!wantFocus.current) return;
    const row = scrollRef.current?.querySelector<HTMLElement>(`tr[data-index="${activeIndex}"]`);
    row?.focus({ preventScroll: true });
    if (row && document.activeElement === row) wantFocus.current = false;
  });

  // The latest onOpen, behind a stable callback: rows are memoized and must not re-render for a new closure.
  const onOpenRef = useRef(onOpen);
  useLayoutEffect(() => {
    onOpenRef.current = onOpen;
  }, [onOpen]);
  const openRow = useCallback((index: number, certificate: CertificateSummary) => {
    setActiveIndex(index);
    onOpenRef.current(certificate);
  }, []);

  const moveTo = (index: number) => {
    const next = Math.min(Math.max(index, 0), total - 1);
    if (next < 0) return;
    wantFocus.current = true;
    setActiveIndex(next);
    scrollToIndex(next);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTableSectionElement>) => {
    const row = (event.target as HTMLElement).closest('tr');
    // Keys inside a row's own controls (the copy button) are theirs.
    if (!row || event.target !== row) return;
    const pageRows = Math.max(1, Math.floor(((scrollRef.current?.clientHeight ?? 400) - HEADER_HEIGHT) / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = {
      ArrowDown: activeIndex + 1,
      ArrowUp: activeIndex - 1,
      PageDown: activeIndex + pageRows,
      PageUp: activeIndex - pageRows,
      Home: 0,
      End: total - 1,
    };
    if (event.key in moves) {
      event.preventDefault();
      moveTo(moves[event.key]!);
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      const certificate = list.item(activeIndex);
      if (certificate) onOpen(certificate);
    }
  };

  // An out-of-range index (the list shrank) must not leave the table without a tab stop.
  const tabStop = activeIndex < total ? activeIndex : 0;

  return (
    <Paper withBorder radius="md" style={{ flex: 1, minHeight: 280, display: 'flex', overflow: 'hidden' }}>
      <div ref={scrollRef} style={{ flex: 1, overflow: 'auto', overscrollBehavior: 'contain' }} data-testid="cert-table-scroll">
        <Table
          layout="fixed"
          stickyHeader
          highlightOnHover
          miw={1120}
          aria-label="Certificates"
          aria-rowcount={total + 1}
          data-testid="cert-table"
        >
          <colgroup>
            {COLUMNS.map((column) => (
              <col key={column.label} style={{ width: column.width }} />
            ))}
          </colgroup>
          <Table.Thead style={{ zIndex: 2 }}>
            <Table.Tr aria-rowindex={1} style={{ height: HEADER_HEIGHT }}>
              {COLUMNS.map((column) => (
                <Table.Th
                  key={column.label}
                  scope="col"
                  aria-sort={column.sorted ? 'ascending' : undefined}
                  title={column.sorted ? 'Sorted by expiry, soonest first' : undefined}
                >
                  {column.label}
                  {column.sorted && <IconArrowUp size={14} aria-hidden style={{ marginLeft: 4, verticalAlign: -2 }} />}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody onKeyDown={onKeyDown}>
            {list.total === null && Array.from({ length: 8 }, (_, index) => <LoadingRow key={`first-${index}`} index={index} />)}
            {paddingTop > 0 && <Spacer height={paddingTop} />}
            {items.map((virtual) => (
              <CertificateRow
                key={virtual.key}
                index={virtual.index}
                certificate={list.item(virtual.index)}
                tabbable={virtual.index === tabStop}
                selected={selectedId !== null && list.item(virtual.index)?.id === selectedId}
                onOpen={openRow}
                onFocusRow={setActiveIndex}
              />
            ))}
            {paddingBottom > 0 && <Spacer height={paddingBottom} />}
          </Table.Tbody>
        </Table>
      </div>
    </Paper>
  );
}

function Spacer({ height }: { height: number }) {
  return (
    <tr aria-hidden style={{ height }}>
      <td colSpan={COLUMNS.length} style={{ padding: 0, border: 0 }} />
    </tr>
  );
}
