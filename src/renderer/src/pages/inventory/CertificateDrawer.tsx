import { Button, Drawer, Group, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { CertificateDetail, Result } from '../../../../shared/contract/index.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useCall } from '../../state/use-call.ts';
import { CertificateActions } from './actions/CertificateActions.tsx';
import { CertificateBindings } from './CertificateBindings.tsx';
import { CertificateDetails } from './CertificateDetails.tsx';
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
  const call = useCall();
  const [loaded, setLoaded] = useState<{ id: string; result: Result<CertificateDetail> } | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!certId || !opened) return;
    let current = true;
    void call('certs:get', { cert: certId }).then((result) => {
      // A slow answer for the previous certificate must not replace the one now asked for.
      if (current) setLoaded({ id: certId, result });
    });
    return () => {
      current = false;
    };
  }, [call, certId, opened, attempt]);

  const result = loaded?.id === certId ? loaded.result : null;
  const detail = result?.ok ? result.value : null;

  const onUpdated = (updated: CertificateDetail) => {
    setLoaded({ id: updated.id, result: { ok: true, value: updated } });
    onChanged();
  };

  return (
    <Drawer
      opened={opened && certId !== null}
      onClose={onClose}
      position="right"
      size="xl"
      title={
        detail ? (
          <Group gap="sm" wrap="nowrap">
            <Text component="span" fw={700} size="xl" style={{ wordBreak: 'break-all' }}>
              {detail.commonName ?? detail.subject}
            </Text>
            <CertificateStatusBadge status={detail.status} size="md" />
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
        <ErrorAlert title="The certificate could not be loaded" data-testid="cert-detail-error">
          <Stack gap="xs" align="flex-start">
            <Text size="sm">{result.error.message}</Text>
            <Button variant="light" color="red" size="compact-sm" onClick={() => setAttempt((value) => value + 1)}>
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
              setLoaded({ id: renewed.id, result: { ok: true, value: renewed } });
              onChanged();
              onOpenCertificate(renewed.id);
            }}
            onRevoked={onUpdated}
          />
          <CertificateBindings
            key={detail.id}
            certificate={detail}
            onRotated={() => {
              // The panel shows this certificate as the rotation left it (revoked as superseded once done).
              setAttempt((value) => value + 1);
              onChanged();
            }}
          />
          <CertificateDetails certificate={detail} onOpenCertificate={onOpenCertificate} />
        </Stack>
      )}
    </Drawer>
  );
}
