import { Button, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDownload, IconListCheck } from '@tabler/icons-react';
import { useState } from 'react';
import type { AuthorityView, CrlView, Failure } from '../../../../shared/contract/index.ts';
import { DetailField } from '../../components/DetailField.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { downloadText, safeFileName } from '../../format/download.ts';
import { relativeDays } from '../../format/relative-days.ts';
import { formatDateTime } from '../../format/validity.ts';
import { useRoleAbilities } from '../../state/role.ts';
import { useAppData } from '../../state/app-data.tsx';
import { useCall } from '../../state/use-call.ts';

/**
 * Signs a fresh CRL for one authority. The edge refuses revoked clients only once it has the new
 * list, so the result offers the file to publish right away.
 */
export function CrlSection({ authority }: { authority: AuthorityView }) {
  const call = useCall();
  const { refreshAuthorities } = useAppData();
  const [busy, setBusy] = useState(false);
  // A publisher signs no CRL: its CRLs come pre-signed from the signer.
  const { caKey } = useRoleAbilities();
  const [crl, setCrl] = useState<CrlView | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const fileName = `${safeFileName(authority.name)}.crl.pem`;

  const generate = async () => {
    setBusy(true);
    setFailure(null);
    const result = await call('crl:generate', { ca: authority.id });
    setBusy(false);
    if (!result.ok) {
      setFailure(result.error);
      return;
    }
    setCrl(result.value);
    // The table's CRL column and warning follow the new CRL.
    void refreshAuthorities();
    notifications.show({
      color: 'teal',
      title: `CRL #${result.value.crlNumber} signed`,
      message: `${authority.name}: ${result.value.revokedCount} revoked certificate${result.value.revokedCount === 1 ? '' : 's'} listed.`,
    });
  };

  return (
    <Stack gap="sm" data-testid="ca-crl">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Text size="sm" c="dimmed">
          A certificate revocation list signed by {authority.name}: every certificate it issued and revoked. Publish it to the edge after
          each revocation.
        </Text>
        {caKey && (
          <Button
            variant="light"
            leftSection={<IconListCheck size={18} />}
            onClick={() => void generate()}
            loading={busy}
            style={{ flexShrink: 0 }}
            data-testid="ca-generate-crl"
          >
            Generate CRL
          </Button>
        )}
      </Group>
      {failure && (
        <ErrorAlert title="No CRL was generated" data-testid="ca-crl-error" code={failure.code}>
          {failure.message}
        </ErrorAlert>
      )}
      {crl && (
        <Stack gap="sm" data-testid="ca-crl-result" data-crl-number={crl.crlNumber}>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <DetailField label="CRL number" value={String(crl.crlNumber)} copyable testId="ca-crl-number" />
            <DetailField label="Revoked certificates" value={String(crl.revokedCount)} copyable testId="ca-crl-revoked-count" />
            <DetailField label="This update" value={formatDateTime(crl.thisUpdate)} copyable copyValue={crl.thisUpdate} mono={false} />
            <DetailField label="Next update" value={formatDateTime(crl.nextUpdate)} copyable copyValue={crl.nextUpdate} mono={false}>
              <Text size="xs" c="dimmed">
                Due {relativeDays(crl.nextUpdate).text}. Publish a new CRL before then: an edge holding an outdated one may refuse every
                client.
              </Text>
            </DetailField>
          </SimpleGrid>
          <DetailField label="CRL (PEM)" value={crl.pem} block copyable testId="ca-crl-pem" />
          <Group>
            <Button
              variant="light"
              leftSection={<IconDownload size={18} />}
              onClick={() => downloadText(fileName, crl.pem)}
              data-testid="ca-download-crl"
            >
              Download .crl.pem
            </Button>
            <Text size="xs" c="dimmed">
              Saves {fileName}; nginx reads it with ssl_crl.
            </Text>
          </Group>
        </Stack>
      )}
    </Stack>
  );
}
