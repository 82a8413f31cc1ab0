import { Button, Drawer, Group, Stack, Text } from '@mantine/core';
import { useOpenedAfterMount } from '../../state/use-opened-after-mount.ts';
import { useQueryClient } from '@tanstack/react-query';
import type { CertificateDetail } from '../../../../shared/contract/index.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { channelKey } from '../../state/query-client.ts';
import { useRoleAbilities } from '../../state/role.ts';
import { useChannelQuery } from '../../state/use-channel-query.ts';
import { CertificateActions } from './actions/CertificateActions.tsx';
import { CertificateBindings } from './CertificateBindings.tsx';
import { CertificateDetails } from './CertificateDetails.tsx';
import { CertificateEdgeUsage } from './CertificateEdgeUsage.tsx';
import { CertificateDelivery } from './delivery/CertificateDelivery.tsx';
import { CertificateStatusBadge } from './CertificateStatusBadge.tsx';
import { LoadingLine } from '../../components/LoadingLine.tsx';

interface Props {
  opened: boolean;
  /** Kept after closing so the panel does not empty itself while it slides out. */
  certId: string | null;
  onClose: () => void;
  /** Lineage links and a renewal open another certificate in the same panel. */
  onOpenCertificate: (id: string) => void;
  /** Something about this certificate changed (revoked, renewed): the list refreshes. */
  onChanged: () => void;
}

export function CertificateDrawer({ opened, certId, onClose, onOpenCertificate, onChanged }: Props) {
  // Keyed by certificate: a slow answer for the previous one never replaces the one now asked for.
  const { result, reload } = useChannelQuery('certs:get', { cert: certId ?? '' }, { enabled: opened && certId !== null });
  const detail = result?.ok ? result.value : null;
  const client = useQueryClient();
  // An offline signer binds, rotates and delivers nothing: those panels are the publisher's.
  const { network } = useRoleAbilities();
  const show = (updated: CertificateDetail) => client.setQueryData(channelKey('certs:get', { cert: updated.id }), updated);

  // The drawer is a chunk of its own: a row opened before it was in mounts it open (see the hook).
  const shown = useOpenedAfterMount(opened && certId !== null);

  const onUpdated = (updated: CertificateDetail) => {
    show(updated);
    onChanged();
  };

  return (
    <Drawer
      opened={shown}
      onClose={onClose}
      position="right"
      size="xl"
      title={
        detail ? (
          <Group gap="sm" wrap="nowrap">
            <Text component="span" fw={700} size="xl" style={{ wordBreak: 'break-all' }}>
              {detail.commonName ?? detail.subject}
            </Text>
            <CertificateStatusBadge certificate={detail} size="md" />
          </Group>
        ) : (
          <Text component="span" fw={700} size="xl">
            Certificate
          </Text>
        )
      }
      attributes={{ content: { 'data-testid': 'cert-detail', 'data-cert-id': detail?.id, 'data-cert-status': detail?.status } }}
    >
      {!result && <LoadingLine testId="cert-detail-loading">Loading the certificate…</LoadingLine>}
      {result && !result.ok && (
        <ErrorAlert title="The certificate could not be loaded" data-testid="cert-detail-error" code={result.error.code}>
          <Stack gap="xs" align="flex-start">
            <Text size="sm">{result.error.message}</Text>
            <Button variant="light" color="red" size="compact-sm" onClick={() => void reload()}>
              Try again
            </Button>
          </Stack>
        </ErrorAlert>
      )}
      {detail && (
        <Stack gap="lg">
          <CertificateActions
            certificate={detail}
            onRenewed={(renewed) => {
              // Shown at once from the answer; the fetch that follows the id change only refreshes it.
              show(renewed);
              onChanged();
              onOpenCertificate(renewed.id);
            }}
            onRevoked={onUpdated}
          />
          {network && (
            <CertificateBindings
              key={detail.id}
              certificate={detail}
              onRotated={() => {
                // The panel shows this certificate as the rotation left it (revoked as superseded once done).
                void reload();
                onChanged();
              }}
            />
          )}
          {network && <CertificateDelivery key={`delivery-${detail.id}`} certificate={detail} />}
          <CertificateEdgeUsage key={`edge-${detail.id}`} certificate={detail} />
          <CertificateDetails certificate={detail} onOpenCertificate={onOpenCertificate} />
        </Stack>
      )}
    </Drawer>
  );
}
