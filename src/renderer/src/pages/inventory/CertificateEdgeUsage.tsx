import { Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { CertificateDetail, UsageHour } from '../../../../shared/contract/index.ts';
import { formatDateTime } from '../../format/validity.ts';
import { useChannelQuery } from '../../state/use-channel-query.ts';

interface Props {
  certificate: CertificateDetail;
}

/** What the edge's access log shows of this certificate: last seen, totals, and requests per hour over the last day. */
export function CertificateEdgeUsage({ certificate }: Props) {
  const query = useChannelQuery('certs:usage', { cert: certificate.id });
  if (query.result === null) return null;
  if (!query.result.ok)
    return (
      <Paper withBorder radius="md" p="md" data-testid="cert-edge-usage" data-state="error">
        <Text size="sm" c="red">
          {query.result.error.message}
        </Text>
      </Paper>
    );
  const evidence = query.result.value;
  const usage = evidence.usage;
  return (
    <Paper withBorder radius="md" p="md" data-testid="cert-edge-usage" data-state={evidence.configured ? 'configured' : 'none'}>
      <Stack gap="xs">
        <Title order={3} size="h5">
          At the edge
        </Title>
        {!evidence.configured ? (
          <Text size="sm" c="dimmed">
            No edge access log is read yet. Export the edge with an access log, then set it with certdesk usage --source PATH.
          </Text>
        ) : (
          <>
            <Group gap="lg">
              <Text size="sm" data-testid="cert-edge-last-seen">
                Last seen at the edge: {usage ? formatDateTime(usage.lastSeen) : 'never'}
              </Text>
              {usage && (
                <Text size="sm" c="dimmed">
                  {usage.requests} request{usage.requests === 1 ? '' : 's'}, {usage.tokenSuccesses} token success
                  {usage.tokenSuccesses === 1 ? '' : 'es'}, last status {usage.lastStatus}
                </Text>
              )}
            </Group>
            {evidence.readError && (
              <Text size="xs" c="red">
                {evidence.readError}
              </Text>
            )}
            <HourlyChart hours={evidence.lastDay} />
          </>
        )}
      </Stack>
    </Paper>
  );
}

/** Requests per hour over the last day, oldest on the left: a bar per hour, scaled to the busiest one. */
function HourlyChart({ hours }: { hours: UsageHour[] }) {
  const max = Math.max(1, ...hours.map((h) => h.requests));
  const width = 6;
  const gap = 2;
  const height = 40;
  return (
    <svg
      width={hours.length * (width + gap)}
      height={height}
      role="img"
      aria-label={`Requests per hour over the last day: ${hours.reduce((n, h) => n + h.requests, 0)} in all`}
      data-testid="cert-edge-chart"
    >
      {hours.map((h, i) => {
        const barHeight = h.requests === 0 ? 1 : Math.max(2, Math.round((h.requests / max) * height));
        return (
          <rect
            key={h.hour}
            x={i * (width + gap)}
            y={height - barHeight}
            width={width}
            height={barHeight}
            rx={1}
            fill={h.requests === 0 ? 'var(--mantine-color-gray-3)' : 'var(--mantine-color-blue-6)'}
            data-requests={h.requests}
          >
            <title>{`${formatDateTime(h.hour)}: ${h.requests} request(s), ${h.tokenSuccesses} token success(es)`}</title>
          </rect>
        );
      })}
    </svg>
  );
}
