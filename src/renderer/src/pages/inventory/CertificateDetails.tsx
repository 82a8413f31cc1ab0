import { Alert, Divider, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconBan } from '@tabler/icons-react';
import type { CertificateDetail } from '../../../../shared/contract/index.ts';
import { DetailField } from '../../components/DetailField.tsx';
import { LintChecklist } from '../../components/LintChecklist.tsx';
import { KEY_STORAGE_META, STATUS_META, statusHint } from '../../format/certificate-status.ts';
import { colonHex } from '../../format/fingerprint.ts';
import { keyTypeLabel } from '../../format/key-type.ts';
import { DAYS_COLOR, leafExpiryDays, relativeDays } from '../../format/relative-days.ts';
import { revocationReasonLabel } from '../../format/revocation-reason.ts';
import { formatDateTime } from '../../format/validity.ts';
import { CertificateLineage } from './CertificateLineage.tsx';
import { ExtensionsTable } from './ExtensionsTable.tsx';
import { SanList } from './SanList.tsx';

interface Props {
  certificate: CertificateDetail;
  onOpenCertificate: (id: string) => void;
}

export function CertificateDetails({ certificate: cert, onOpenCertificate }: Props) {
  const starts = relativeDays(cert.notBefore);
  const ends = leafExpiryDays(cert.notAfter, cert.renewAt);
  return (
    <Stack gap="lg">
      {cert.status === 'revoked' && (
        <Alert
          color="red"
          variant="light"
          icon={<IconBan />}
          title={cert.onCrl ? 'Revoked; listed on the CRL' : 'Revoked; on the next CRL'}
          data-testid="cert-revocation"
          data-on-crl={cert.onCrl === true}
        >
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <DetailField
              label="Revoked at"
              value={cert.revokedAt ? formatDateTime(cert.revokedAt) : 'unknown'}
              copyable
              copyValue={cert.revokedAt ?? ''}
              mono={false}
            />
            <DetailField
              label="Reason"
              value={cert.revocationReason ? revocationReasonLabel(cert.revocationReason) : 'not given'}
              copyable
              copyValue={cert.revocationReason ?? ''}
              mono={false}
              testId="cert-detail-revocation-reason"
            />
          </SimpleGrid>
        </Alert>
      )}

      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <DetailField
          label="Status"
          value={`${STATUS_META[cert.status].label}: ${statusHint(cert)}`}
          copyable
          copyValue={cert.status}
          mono={false}
          testId="cert-detail-status"
        />
        <DetailField
          label="Profile"
          value={cert.profile ?? 'none (not issued by certdesk)'}
          copyable
          copyValue={cert.profile ?? ''}
          mono={false}
          testId="cert-detail-profile"
        />
      </SimpleGrid>

      <DetailField label="Subject (RFC 4514)" value={cert.subject} copyable testId="cert-detail-subject" />
      <DetailField label="Auth0 / OpenSSL form" value={cert.subjectLines} block copyable testId="cert-detail-subject-lines" />
      <DetailField label="Issuer" value={cert.issuer} copyable testId="cert-detail-issuer">
        <Text size="xs" c="dimmed">
          {cert.authorityId
            ? `Signed by ${cert.issuerName}, one of certdesk's authorities.`
            : `${cert.issuerName}: not one of certdesk's authorities.`}
        </Text>
      </DetailField>
      <SanList sans={cert.sans} />
      <DetailField label="Serial (hex)" value={cert.serialHex} copyable testId="cert-detail-serial" />

      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <DetailField label="Valid from" value={formatDateTime(cert.notBefore)} copyable copyValue={cert.notBefore} mono={false}>
          <Text size="xs" c="dimmed">
            {starts.text}
          </Text>
        </DetailField>
        <DetailField
          label="Valid to"
          value={formatDateTime(cert.notAfter)}
          copyable
          copyValue={cert.notAfter}
          mono={false}
          testId="cert-detail-not-after"
        >
          <Text size="xs" c={DAYS_COLOR[ends.tone]} data-testid="cert-detail-expires" data-tone={ends.tone}>
            {ends.tone === 'past' ? `expired ${ends.text}` : `expires ${ends.text}`}
          </Text>
        </DetailField>
        <DetailField
          label="Key type"
          value={keyTypeLabel(cert.keyType)}
          copyable
          copyValue={cert.keyType}
          mono={false}
          testId="cert-detail-key-type"
        />
        <DetailField
          label="Key storage"
          value={KEY_STORAGE_META[cert.keyStorage].label}
          copyable
          copyValue={cert.keyStorage}
          mono={false}
          testId="cert-detail-key-storage"
        >
          <Text size="xs" c="dimmed">
            {KEY_STORAGE_META[cert.keyStorage].hint}
          </Text>
        </DetailField>
      </SimpleGrid>

      <Divider label="Fingerprints" labelPosition="left" />
      <DetailField label="SHA-256" value={colonHex(cert.sha256Hex)} copyable testId="cert-detail-sha256" />
      <DetailField label="SHA-256 (hex)" value={cert.sha256Hex} copyable />
      <DetailField label="x5t#S256" value={cert.sha256Base64url} copyable testId="cert-detail-x5t">
        <Text size="xs" c="dimmed">
          What Auth0 puts in a token's cnf claim for this certificate.
        </Text>
      </DetailField>
      <DetailField label="SHA-1" value={colonHex(cert.sha1Hex)} copyable testId="cert-detail-sha1" />

      <CertificateLineage certificate={cert} onOpenCertificate={onOpenCertificate} />

      <Divider label="Checks" labelPosition="left" />
      <LintChecklist lint={cert.lint} />

      <Divider label="Extensions" labelPosition="left" />
      <ExtensionsTable extensions={cert.extensions} />

      <Divider label="Certificate" labelPosition="left" />
      <DetailField label="PEM" value={cert.pem} block copyable testId="cert-detail-pem" />
      <DetailField label="Chain PEM (leaf first, up to the root)" value={cert.chainPem} block copyable testId="cert-detail-chain-pem" />
      <DetailField label="certdesk id" value={cert.id} copyable>
        <Text size="xs" c="dimmed">
          Added to certdesk {formatDateTime(cert.createdAt)}
        </Text>
      </DetailField>
    </Stack>
  );
}
