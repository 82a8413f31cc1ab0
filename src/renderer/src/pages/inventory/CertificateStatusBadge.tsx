import { Badge } from '@mantine/core';
import type { CertificateSummary } from '../../../../shared/contract/index.ts';
import { STATUS_META, statusHint } from '../../format/certificate-status.ts';

/** Active green, superseded gray, revoked red, expired orange; the hint is a native title to stay cheap in table rows. */
export function CertificateStatusBadge({
  certificate,
  size = 'sm',
}: {
  certificate: Pick<CertificateSummary, 'status' | 'onCrl'>;
  size?: 'sm' | 'md' | 'lg';
}) {
  const { status } = certificate;
  const meta = STATUS_META[status];
  return (
    <Badge
      color={meta.color}
      variant="light"
      size={size}
      style={{ flexShrink: 0 }}
      title={statusHint(certificate)}
      data-testid="cert-status-badge"
      data-status={status}
      data-on-crl={certificate.onCrl ?? undefined}
    >
      {meta.label}
    </Badge>
  );
}
