import { Badge, Stack, Text, Tooltip } from '@mantine/core';
import { crlFreshness, type AuthorityView } from '../../../../shared/contract/index.ts';
import { formatDateTime } from '../../format/validity.ts';

const CRL_COLOR = { none: 'dimmed', fresh: 'dimmed', soon: 'orange', stale: 'red' } as const;

function hoursText(hours: number): string {
  const abs = Math.abs(hours);
  if (abs < 48) return `${abs} hour${abs === 1 ? '' : 's'}`;
  // Rounded like relativeDays: a CRL due in 6 days 23 hours reads "7 days".
  const days = Math.round(abs / 24);
  return `${days} day${days === 1 ? '' : 's'}`;
}

/** "Retired" or "Revoked" beside the name: a CA out of service must not look like one in it. */
export function AuthorityStateBadge({ authority }: { authority: AuthorityView }) {
  if (authority.revokedAt)
    return (
      <Tooltip
        label={`Revoked ${formatDateTime(authority.revokedAt)} (${authority.revocationReason ?? 'unspecified'}); on its root's CRL.`}
      >
        <Badge color="red" variant="light" size="sm" data-testid="ca-state" data-ca-state="revoked">
          Revoked
        </Badge>
      </Tooltip>
    );
  if (authority.retiredAt)
    return (
      <Tooltip label={`Retired ${formatDateTime(authority.retiredAt)}: signs nothing new; what it signed stays valid.`}>
        <Badge color="gray" variant="light" size="sm" data-testid="ca-state" data-ca-state="retired">
          Retired
        </Badge>
      </Tooltip>
    );
  return null;
}

/** The table's CRL cell: the latest CRL's age and next update, orange from CRL_WARN_HOURS before it, red once passed. */
export function CrlCell({ authority, now = new Date() }: { authority: AuthorityView; now?: Date }) {
  const freshness = crlFreshness(authority.crl, now);
  if (!authority.crl)
    return (
      <Text size="sm" c="dimmed" data-testid="ca-crl-state" data-crl-state="none" style={{ whiteSpace: 'nowrap' }}>
        No CRL yet
      </Text>
    );
  const next =
    freshness.hoursLeft < 0
      ? `next update passed ${hoursText(freshness.hoursLeft)} ago`
      : `next update in ${hoursText(freshness.hoursLeft)}`;
  const body = (
    <Stack gap={0} data-testid="ca-crl-state" data-crl-state={freshness.state}>
      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
        #{authority.crl.crlNumber} · {freshness.ageHours < 1 ? 'signed just now' : `${hoursText(freshness.ageHours)} old`}
      </Text>
      <Text size="xs" c={CRL_COLOR[freshness.state]} fw={freshness.warning ? 600 : undefined} style={{ whiteSpace: 'nowrap' }}>
        {next}
      </Text>
    </Stack>
  );
  return (
    <Tooltip label={freshness.warning || `Next update ${formatDateTime(authority.crl.nextUpdate)}`} multiline maw={320}>
      {body}
    </Tooltip>
  );
}
