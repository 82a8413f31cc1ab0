import { Alert, Code, List, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconCalendarX } from '@tabler/icons-react';
import type { CrlSeriesStatus } from '../../../../shared/contract/index.ts';
import { useChannelQuery } from '../../state/use-channel-query.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** "2026-12-19 12:00 UTC": the one spelling dates have across certdesk's notices. */
export function utcMinute(iso: string): string {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** "in 3 days 4 hours", "in 5 hours", "2 days ago": days and hours, as the series' periods are counted. */
export function humanDuration(iso: string, now: number): string {
  const diff = Date.parse(iso) - now;
  const span = Math.abs(diff);
  const days = Math.floor(span / DAY);
  const hours = Math.floor((span % DAY) / HOUR);
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  const text =
    days > 0
      ? `${plural(days, 'day')}${hours > 0 ? ` ${plural(hours, 'hour')}` : ''}`
      : hours > 0
        ? plural(hours, 'hour')
        : 'under an hour';
  return diff > 0 ? `in ${text}` : `${text} ago`;
}

/** What the operator reads for one CA: when its last pre-signed CRL runs (or ran) out. */
function line(status: CrlSeriesStatus, now: number): string {
  if (status.state === 'missing' || status.lastPresignedNextUpdate === null)
    return `${status.name}: no CRL from the signer is held, so the edge has none to serve for it.`;
  const when = `${utcMinute(status.lastPresignedNextUpdate)} (${humanDuration(status.lastPresignedNextUpdate, now)})`;
  return status.state === 'expired'
    ? `${status.name}: the last pre-signed CRL ran out ${when}. The edge refuses every client certificate of this CA.`
    : `${status.name}: the last pre-signed CRL runs out ${when}.`;
}

/**
 * A publisher's warning before the signer's pre-signed CRLs run out (issue 12 §5): one line per CA
 * whose last CRL runs out within the warning window, red once one has run out. Nothing shows while
 * every series lasts, or where certdesk signs its own CRLs.
 */
export function PresignedCrlNotice() {
  const { data } = useChannelQuery('schedule:crl-series', {});
  const warned = (data ?? []).filter((status) => status.warn);
  if (warned.length === 0) return null;
  const now = Date.now();
  const past = warned.some((status) => status.state === 'expired' || status.state === 'missing');
  const window = warned[0]!.warnDays;
  return (
    <Alert
      color={past ? 'red' : 'orange'}
      variant="light"
      icon={past ? <IconCalendarX /> : <IconAlertTriangle />}
      title={past ? 'Pre-signed CRLs have run out' : `Pre-signed CRLs run out within ${window} days`}
      data-testid="crl-series-notice"
      data-state={past ? 'expired' : 'warn'}
    >
      <Stack gap="xs">
        <List size="sm" spacing={4}>
          {warned.map((status) => (
            <List.Item key={status.authorityId} data-testid="crl-series-item" data-state={status.state}>
              {line(status, now)}
            </List.Item>
          ))}
        </List>
        <Text size="sm">
          Request a new series from the offline signer: <Code>certdesk request crl &quot;{warned[0]!.name}&quot;</Code> for each CA above,
          or a CRL request on the Transfer page, then carry the bundle to the signer and import its answer here.
        </Text>
      </Stack>
    </Alert>
  );
}
