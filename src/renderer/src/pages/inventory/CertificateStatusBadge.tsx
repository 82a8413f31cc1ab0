import { Badge } from '@mantine/core';
import type { CSSProperties } from 'react';
import type { CertificateSummary } from '../../../../shared/contract/index.ts';
import { STATUS_META, statusHint } from '../../format/certificate-status.ts';

type Size = 'sm' | 'md' | 'lg';

// Mantine's light Badge as plain elements: Badge's own classes (its stylesheet is the shell's), and the
// variables Badge would set for a size and a light colour. A screen of table rows has dozens of these,
// and each Badge component costs its props, its styles and a Box.
const ROOT = Badge.classes.root;
const LABEL = Badge.classes.label;
const styles = new Map<string, CSSProperties>();

/** One style object per colour and size, made once: rows share them, and React compares them cheaply. */
function badgeStyle(color: string, size: Size): CSSProperties {
  const key = `${color}:${size}`;
  let style = styles.get(key);
  if (!style) {
    style = {
      '--badge-height': `var(--badge-height-${size})`,
      '--badge-fz': `var(--badge-fz-${size})`,
      '--badge-padding-x': `var(--badge-padding-x-${size})`,
      '--badge-bg': `var(--mantine-color-${color}-light)`,
      '--badge-color': `var(--mantine-color-${color}-light-color)`,
      '--badge-bd': 'calc(0.0625rem * var(--mantine-scale)) solid transparent',
      flexShrink: 0,
    } as CSSProperties;
    styles.set(key, style);
  }
  return style;
}

/** Active green, superseded gray, revoked red, expired orange; the hint is a native title to stay cheap in table rows. */
export function CertificateStatusBadge({
  certificate,
  size = 'sm',
}: {
  certificate: Pick<CertificateSummary, 'status' | 'onCrl'>;
  size?: Size;
}) {
  const { status } = certificate;
  const meta = STATUS_META[status];
  return (
    <div
      className={ROOT}
      style={badgeStyle(meta.color, size)}
      title={statusHint(certificate)}
      data-testid="cert-status-badge"
      data-status={status}
      data-on-crl={certificate.onCrl ?? undefined}
    >
      <span className={LABEL}>{meta.label}</span>
    </div>
  );
}
