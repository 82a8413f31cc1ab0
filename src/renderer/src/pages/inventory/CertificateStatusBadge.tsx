import type { CSSProperties } from 'react';
import type { CertificateSummary } from '../../../../shared/contract/index.ts';
import { STATUS_META, statusHint } from '../../format/certificate-status.ts';

// Mantine's light Badge, drawn from its public CSS variables: a plain span costs a table row far
// less than a Badge component (props, style resolution, a Box), and a screen of rows has dozens.
const SIZES = {
  sm: { height: '1.125rem', fontSize: '0.625rem', paddingInline: '0.5rem' },
  md: { height: '1.25rem', fontSize: '0.6875rem', paddingInline: '0.625rem' },
  lg: { height: '1.625rem', fontSize: '0.8125rem', paddingInline: '0.75rem' },
} as const;

const BASE: CSSProperties = {
  display: 'inline-grid',
  alignItems: 'center',
  justifyContent: 'center',
  width: 'fit-content',
  flexShrink: 0,
  borderRadius: 'calc(62.5rem * var(--mantine-scale))',
  border: 'calc(0.0625rem * var(--mantine-scale)) solid transparent',
  textTransform: 'uppercase',
  fontWeight: 'var(--mantine-font-weight-bold)' as CSSProperties['fontWeight'],
  letterSpacing: 'calc(0.015625rem * var(--mantine-scale))',
  whiteSpace: 'nowrap',
  overflow: 'hidden',
  textOverflow: 'ellipsis',
  cursor: 'default',
};

const styles = new Map<string, CSSProperties>();

/** One style object per colour and size, made once: rows share them, and React compares them cheaply. */
function badgeStyle(color: string, size: keyof typeof SIZES): CSSProperties {
  const key = `${color}:${size}`;
  let style = styles.get(key);
  if (!style) {
    const { height, fontSize, paddingInline } = SIZES[size];
    const scaled = (rem: string) => `calc(${rem} * var(--mantine-scale))`;
    style = {
      ...BASE,
      height: scaled(height),
      lineHeight: `calc(${scaled(height)} - ${scaled('0.125rem')})`,
      fontSize: scaled(fontSize),
      paddingInline: scaled(paddingInline),
      color: `var(--mantine-color-${color}-light-color)`,
      background: `var(--mantine-color-${color}-light)`,
    };
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
  size?: keyof typeof SIZES;
}) {
  const { status } = certificate;
  const meta = STATUS_META[status];
  return (
    <span
      style={badgeStyle(meta.color, size)}
      title={statusHint(certificate)}
      data-testid="cert-status-badge"
      data-status={status}
      data-on-crl={certificate.onCrl ?? undefined}
    >
      {meta.label}
    </span>
  );
}
