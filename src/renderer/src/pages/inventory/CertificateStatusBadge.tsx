import { Badge } from '@mantine/core';
import type { CertificateStatus } from '../../../../shared/contract/index.ts';
import { STATUS_META } from '../../format/certificate-status.ts';

/** Active green, superseded gray, revoked red, expired orange; the hint is a native title to stay cheap in table rows. */
export function CertificateStatusBadge({ status, size = 'sm' }: { status: CertificateStatus; size?: 'sm' | 'md' | 'lg' }) {
  const meta = STATUS_META[status];
  return (
    <Badge
      color={meta.color}
      variant="light"
      size={size}
      style={{ flexShrink: 0 }}
      title={meta.hint}
      data-testid="cert-status-badge"
      data-status={status}
    >
      {meta.label}
    </Badge>
  );
}
