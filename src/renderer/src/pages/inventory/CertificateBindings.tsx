import { Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconRotateClockwise2 } from '@tabler/icons-react';
import { useCallback, useMemo, useState } from 'react';
import type { CertificateDetail, ScheduleItem } from '../../../../shared/contract/index.ts';
import { useChannelQuery } from '../../state/use-channel-query.ts';
import { RotateModal } from '../rotation/RotateModal.tsx';

interface Props {
  certificate: CertificateDetail;
  /** A rotation ran: the list refreshes, and the panel may move to the successor. */
  onRotated: (successorId: string | null) => void;
}

/** Where this certificate is live at Auth0, and one-click rotation from here. */
export function CertificateBindings({ certificate, onRotated }: Props) {
  const listed = useChannelQuery('bindings:list', {});
  // This certificate's own item: the whole schedule of a large inventory is not read to show one line of it.
  const schedule = useChannelQuery('schedule:list', { certificate: certificate.id });
  const [rotateOpened, setRotateOpened] = useState(false);
  const bindings = useMemo(
    () => (listed.result ? (listed.data ?? []).filter((b) => b.certificateId === certificate.id && b.state !== 'removed') : null),
    [listed.result, listed.data, certificate.id],
  );
  const item = useMemo(
    () => schedule.data?.find((i): i is ScheduleItem => i.kind === 'leaf' && i.id === certificate.id) ?? null,
    [schedule.data, certificate.id],
  );
  const { reload: reloadBindings } = listed;
  const { reload: reloadSchedule } = schedule;
  const load = useCallback(() => Promise.all([reloadBindings(), reloadSchedule()]), [reloadBindings, reloadSchedule]);

  // Both answers first, as the panel always appeared whole.
  if (bindings === null || schedule.result === null) return null;
  const rotatable = item !== null && certificate.status === 'active';
  return (
    <Paper withBorder radius="md" p="md" data-testid="cert-bindings" data-count={bindings.length}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap">
          <Title order={3} size="h5">
            At Auth0
          </Title>
          {rotatable && (
            <Button
              size="compact-sm"
              variant="light"
              leftSection={<IconRotateClockwise2 size={14} />}
              onClick={() => setRotateOpened(true)}
              data-testid="cert-rotate"
            >
              Rotate…
            </Button>
          )}
        </Group>
        {bindings.length === 0 ? (
          <Text size="sm" c="dimmed">
            Not bound to any Auth0 application. Bind it on the Bindings page.
          </Text>
        ) : (
          bindings.map((b) => (
            <Group key={b.id} gap="xs" wrap="wrap" data-testid="cert-binding" data-state={b.state}>
              <Badge variant="light" color={b.state === 'active' ? 'teal' : 'yellow'}>
                {b.state}
              </Badge>
              <Text size="sm">
                {b.clientId} on {b.tenantName}
              </Text>
              <Text size="xs" c="dimmed" ff="monospace">
                {b.credentialId ?? 'credential not created yet'}
                {b.credentialExpiresAt ? ` · expires_at ${b.credentialExpiresAt.slice(0, 10)}` : ''}
              </Text>
            </Group>
          ))
        )}
      </Stack>
      <RotateModal
        item={item}
        opened={rotateOpened}
        onClose={() => setRotateOpened(false)}
        onRotated={(job) => {
          void load();
          onRotated(job.successorId);
        }}
      />
    </Paper>
  );
}
