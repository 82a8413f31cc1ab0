import { Box, Group, Text } from '@mantine/core';
import { useElementSize } from '@mantine/hooks';
import type { ReactNode } from 'react';
import type { ScheduleItem } from '../../../../shared/contract/index.ts';
import { relativeDays } from '../../format/relative-days.ts';
import { SCHEDULE_STATE_META, kindLabel } from '../../format/schedule-state.ts';
import { formatDate } from '../../format/validity.ts';
import { cascades, timelineRange, timelineTicks, type Cascade } from './schedule-model.ts';

/** Enough bars to read; the list below has every item. */
const MAX_CAS = 12;
const MAX_LEAVES = 30;

const AXIS_HEIGHT = 30;
const LANE_HEADER = 24;
const ROW = 22;
const BAR = 10;
const PAD_RIGHT = 16;
const BOTTOM = 8;

const COLOR = {
  expired: 'var(--mantine-color-red-6)',
  overdue: 'var(--mantine-color-orange-6)',
  due: 'var(--mantine-color-yellow-5)',
  ok: 'var(--mantine-color-green-6)',
} as const;
const CASCADE = 'var(--mantine-color-red-7)';
const TEXT = 'var(--mantine-color-text)';
const DIMMED = 'var(--mantine-color-dimmed)';
const CREDENTIAL = 'var(--mantine-color-violet-6)';
const GRID = 'var(--mantine-color-default-border)';

interface Row {
  item: ScheduleItem;
  y: number;
}

interface Lane {
  title: string;
  y: number;
  rows: Row[];
  hidden: number;
}

function describe(item: ScheduleItem): string {
  const renew = relativeDays(item.renewAt);
  const expires = relativeDays(item.notAfter);
  const lines = [
    `${item.name} (${kindLabel(item)}, issued by ${item.issuerName}): ${SCHEDULE_STATE_META[item.state].label}.`,
    `Renew on ${formatDate(item.renewAt)} (${renew.text}).`,
    `${expires.tone === 'past' ? 'Expired' : 'Expires'} on ${formatDate(item.notAfter)} (${expires.text}).`,
    ...item.credentials.map(
      (c) =>
        `Auth0 credential on ${c.clientId} (${c.tenantName}): ${c.expiresAt ? `expires_at ${formatDate(c.expiresAt)}` : 'not created yet'}.`,
    ),
    ...item.warnings.map((warning) => `⚠ ${warning}`),
  ];
  return lines.join('\n');
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

function Triangle({ x, y, size, title }: { x: number; y: number; size: number; title?: string }) {
  return (
    <path
      d={`M${x},${y - size} L${x + size},${y + size * 0.8} L${x - size},${y + size * 0.8} Z`}
      fill={CASCADE}
      stroke="var(--mantine-color-body)"
      strokeWidth={1}
    >
      {title && <title>{title}</title>}
    </path>
  );
}

/**
 * Every item as a bar from today to its expiry with a diamond at its renewal time, CAs in their
 * own lane above the certificates, and a red dashed line where a CA expires before what it signed.
 * Plain SVG, measured to its container so the text keeps its size.
 */
export function ScheduleTimeline({ items, now }: { items: ScheduleItem[]; now: number }) {
  const { ref, width: measured } = useElementSize();
  const width = Math.max(measured || 960, 480);
  const labelWidth = Math.min(240, Math.round(width * 0.26));
  const cas = items.filter((item) => item.kind === 'ca');
  const leaves = items.filter((item) => item.kind === 'leaf');
  const shownCas = cas.slice(0, MAX_CAS);
  const shownLeaves = leaves.slice(0, MAX_LEAVES);
  const range = timelineRange([...shownCas, ...shownLeaves], now);
  const ticks = timelineTicks(range);
  const chartLeft = labelWidth + 8;
  const chartWidth = width - chartLeft - PAD_RIGHT;
  const x = (at: number) =>
    chartLeft + ((Math.min(Math.max(at, range.start), range.end) - range.start) / (range.end - range.start)) * chartWidth;
  const nowX = x(now);

  // Lanes and rows, top to bottom.
  const lanes: Lane[] = [];
  let y = AXIS_HEIGHT;
  for (const [title, all, shown] of [
    ['Authorities', cas, shownCas],
    ['Certificates', leaves, shownLeaves],
  ] as const) {
    if (all.length === 0) continue;
    const lane: Lane = { title, y, rows: [], hidden: all.length - shown.length };
    y += LANE_HEADER;
    for (const item of shown) {
      lane.rows.push({ item, y: y + ROW / 2 });
      y += ROW;
    }
    lanes.push(lane);
  }
  const height = y + BOTTOM;
  const rowOf = new Map(lanes.flatMap((lane) => lane.rows).map((row) => [row.item.id, row]));

  const shownCascades = [...cascades(items).values()].filter((cascade) => rowOf.has(cascade.ca.id));
  const expiring = [...shownCas, ...shownLeaves].filter((item) => {
    const at = Date.parse(item.notAfter);
    return at >= now && at <= range.end;
  }).length;
  const hidden = cas.length - shownCas.length + leaves.length - shownLeaves.length;
  const summary = [
    `Timeline from today, ${formatDate(new Date(now).toISOString())}, to ${formatDate(new Date(range.end).toISOString())}:`,
    `${plural(shownCas.length, 'CA')} and ${plural(shownLeaves.length, 'certificate')} shown${hidden > 0 ? ` (${hidden} more in the list)` : ''}.`,
    `${expiring} expire${expiring === 1 ? 's' : ''} in this period.`,
    ...shownCascades.map(
      (cascade) =>
        `Warning: ${cascade.ca.name} expires on ${formatDate(cascade.ca.notAfter)}, before ${cascade.outlived.length > 0 ? plural(cascade.outlived.length, 'item') : 'some of what'} it signed.`,
    ),
  ].join(' ');

  return (
    <Box ref={ref} data-testid="schedule-timeline-frame">
      <svg
        width={width}
        height={height}
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={summary}
        data-testid="schedule-timeline"
        data-cascades={shownCascades.length}
        style={{ display: 'block', fontFamily: 'inherit', overflow: 'visible' }}
      >
        {/* Month (or week) grid and labels. */}
        {ticks.map((tick) => (
          <g key={tick.at} aria-hidden>
            <line x1={x(tick.at)} x2={x(tick.at)} y1={AXIS_HEIGHT - 6} y2={height - BOTTOM} stroke={GRID} strokeWidth={1} />
            <text x={x(tick.at) + 3} y={AXIS_HEIGHT - 10} fontSize={11} fill={DIMMED}>
              {tick.label}
            </text>
          </g>
        ))}

        {lanes.map((lane, index) => (
          <g key={lane.title}>
            {index > 0 && <line x1={0} x2={width - PAD_RIGHT} y1={lane.y} y2={lane.y} stroke={GRID} strokeWidth={1} />}
            <text x={0} y={lane.y + 16} fontSize={11} fontWeight={700} fill={DIMMED} letterSpacing="0.04em">
              {lane.title.toUpperCase()}
              {lane.hidden > 0 ? ` · ${lane.hidden} more in the list` : ''}
            </text>
            {lane.rows.map((row) => (
              <TimelineRow
                key={row.item.id}
                row={row}
                labelChars={Math.floor(labelWidth / 6.8)}
                x={x}
                now={now}
                nowX={nowX}
                rangeEnd={range.end}
              />
            ))}
          </g>
        ))}

        {shownCascades.map((cascade) => (
          <CascadeMarker key={cascade.ca.id} cascade={cascade} rowOf={rowOf} x={x} rangeEnd={range.end} />
        ))}

        {/* Today, over the bars. */}
        <line x1={nowX} x2={nowX} y1={AXIS_HEIGHT - 4} y2={height - BOTTOM} stroke="var(--mantine-primary-color-filled)" strokeWidth={2} />
        <text x={nowX} y={12} fontSize={11} fontWeight={700} fill="var(--mantine-primary-color-filled)" textAnchor="middle">
          Today
        </text>
      </svg>
      <TimelineLegend />
    </Box>
  );
}

interface RowProps {
  row: Row;
  labelChars: number;
  x: (at: number) => number;
  now: number;
  nowX: number;
  rangeEnd: number;
}

function TimelineRow({ row: { item, y }, labelChars, x, now, nowX, rangeEnd }: RowProps) {
  const notAfter = Date.parse(item.notAfter);
  const renewAt = Date.parse(item.renewAt);
  const color = COLOR[item.state];
  const endX = x(notAfter);
  const beyond = notAfter > rangeEnd;
  let bar: ReactNode;
  if (item.state === 'expired' || notAfter <= now) {
    // Expired: a cross where it ended (or at the left edge, for long ago).
    bar = (
      <path
        d={`M${endX - 4},${y - 4} L${endX + 4},${y + 4} M${endX - 4},${y + 4} L${endX + 4},${y - 4}`}
        stroke={color}
        strokeWidth={2.5}
        strokeLinecap="round"
      />
    );
  } else {
    bar = (
      <>
        <rect x={nowX} y={y - BAR / 2} width={Math.max(endX - nowX, 2)} height={BAR} rx={3} fill={color} fillOpacity={0.8} />
        {beyond && (
          <>
            <path d={`M${endX - 2},${y - 6} L${endX + 5},${y} L${endX - 2},${y + 6}`} fill="none" stroke={color} strokeWidth={2} />
            <text x={endX - 8} y={y - 7} fontSize={10} fill={DIMMED} textAnchor="end">
              expires {formatDate(item.notAfter)}
            </text>
          </>
        )}
        {renewAt <= rangeEnd && <Diamond x={x(Math.max(renewAt, now))} y={y} late={renewAt < now} />}
        {item.credentials.map((c) => {
          const at = c.expiresAt ? Date.parse(c.expiresAt) : NaN;
          if (!Number.isFinite(at) || at > rangeEnd || at < now) return null;
          return <CredentialMark key={`${c.tenantName}:${c.clientId}`} x={x(at)} y={y} />;
        })}
      </>
    );
  }
  return (
    <g data-testid="timeline-bar" data-schedule-kind={item.kind} data-schedule-name={item.name} data-schedule-state={item.state}>
      <title>{describe(item)}</title>
      {/* A transparent band makes the whole row hoverable for its title. */}
      <rect x={0} y={y - ROW / 2} width="100%" height={ROW} fill="transparent" />
      <text x={0} y={y + 4} fontSize={12} fill={TEXT}>
        {truncate(item.name, labelChars)}
      </text>
      {bar}
    </g>
  );
}

/** An Auth0 credential's expires_at: a tick across the bar, above and below it. */
function CredentialMark({ x, y }: { x: number; y: number }) {
  return (
    <path
      d={`M${x},${y - BAR / 2 - 5} L${x},${y + BAR / 2 + 5}`}
      stroke={CREDENTIAL}
      strokeWidth={3}
      strokeLinecap="round"
      data-testid="timeline-credential"
    />
  );
}

/** The renewal time: hollow ahead, filled dark when it has already passed. */
function Diamond({ x, y, late }: { x: number; y: number; late: boolean }) {
  const size = 6;
  return (
    <path
      d={`M${x},${y - size} L${x + size},${y} L${x},${y + size} L${x - size},${y} Z`}
      fill={late ? TEXT : 'var(--mantine-color-body)'}
      stroke={TEXT}
      strokeWidth={1.5}
      data-testid="timeline-renewal"
    />
  );
}

interface CascadeProps {
  cascade: Cascade;
  rowOf: Map<string, Row>;
  x: (at: number) => number;
  rangeEnd: number;
}

function CascadeMarker({ cascade: { ca, outlived }, rowOf, x, rangeEnd }: CascadeProps) {
  const caRow = rowOf.get(ca.id)!;
  const cx = x(Date.parse(ca.notAfter));
  const beyond = Date.parse(ca.notAfter) > rangeEnd;
  const outlivedRows = outlived.map((item) => rowOf.get(item.id)).filter((row): row is Row => row !== undefined);
  const bottom = Math.max(caRow.y, ...outlivedRows.map((row) => row.y));
  const title = `${ca.name} expires on ${formatDate(ca.notAfter)}${beyond ? ' (beyond this view)' : ''}, before ${
    outlived.length > 0
      ? `${plural(outlived.length, 'item')} it signed: ${outlived.map((item) => item.name).join(', ')}`
      : 'some of what it signed'
  }. Renew the CA first.`;
  return (
    <g data-testid="timeline-cascade" data-ca-name={ca.name}>
      <title>{title}</title>
      {bottom > caRow.y && <line x1={cx} x2={cx} y1={caRow.y} y2={bottom} stroke={CASCADE} strokeWidth={2} strokeDasharray="5 3" />}
      {outlivedRows.map((row) => (
        <circle key={row.item.id} cx={cx} cy={row.y} r={3.5} fill={CASCADE} />
      ))}
      <Triangle x={cx} y={caRow.y - 1} size={7} />
    </g>
  );
}

function LegendSwatch({ children, label }: { children: ReactNode; label: string }) {
  return (
    <Group gap={6} wrap="nowrap">
      <svg width={18} height={14} aria-hidden style={{ flexShrink: 0 }}>
        {children}
      </svg>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
    </Group>
  );
}

function TimelineLegend() {
  return (
    <Group gap="md" mt="xs" wrap="wrap" aria-hidden>
      {(['ok', 'due', 'overdue', 'expired'] as const).map((state) => (
        <LegendSwatch key={state} label={SCHEDULE_STATE_META[state].label}>
          <rect x={1} y={2} width={16} height={10} rx={3} fill={COLOR[state]} fillOpacity={0.8} />
        </LegendSwatch>
      ))}
      <LegendSwatch label="Renewal time">
        <path d="M9,1 L15,7 L9,13 L3,7 Z" fill="var(--mantine-color-body)" stroke={TEXT} strokeWidth={1.5} />
      </LegendSwatch>
      <LegendSwatch label="Auth0 credential expires_at">
        <path d="M9,0 L9,14" stroke={CREDENTIAL} strokeWidth={3} strokeLinecap="round" />
      </LegendSwatch>
      <LegendSwatch label="CA expires before what it signed">
        <path d="M9,1 L16,13 L2,13 Z" fill={CASCADE} />
      </LegendSwatch>
    </Group>
  );
}
