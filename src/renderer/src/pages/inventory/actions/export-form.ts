import type { ExportFormat } from '../../../../../shared/contract/index.ts';

/** The server's minimum for a key export; mirrored so the operator learns it before a round trip. */
export const MIN_EXPORT_PASSPHRASE = 12;

export interface ExportValues {
  format: ExportFormat;
  passphrase: string;
  confirm: string;
  /** The explicit "this file contains the private key" confirmation. */
  acknowledged: boolean;
}

export const EXPORT_CHOICES: { format: ExportFormat; title: string; text: string; withKey: boolean }[] = [
  { format: 'pem', title: 'Certificate (PEM)', text: 'The certificate alone, as text. What Auth0 and most tools take.', withKey: false },
  { format: 'der', title: 'Certificate (DER)', text: 'The certificate alone, binary. For Java keystores and Windows.', withKey: false },
  { format: 'chain', title: 'Certificate chain (PEM)', text: 'The certificate, then its issuing CAs up to the root.', withKey: false },
  {
    format: 'p12',
    title: 'PKCS#12 bundle (.p12)',
    text: 'Certificate, chain and private key in one file, under a passphrase.',
    withKey: true,
  },
  {
    format: 'key',
    title: 'Private key (encrypted PEM)',
    text: 'The private key alone, as encrypted PKCS#8 under a passphrase.',
    withKey: true,
  },
];

export function withKey(format: ExportFormat): boolean {
  return format === 'p12' || format === 'key';
}

export function exportErrors(values: ExportValues): Partial<Record<'passphrase' | 'confirm' | 'acknowledged', string>> {
  if (!withKey(values.format)) return {};
  const errors: Partial<Record<'passphrase' | 'confirm' | 'acknowledged', string>> = {};
  if (values.passphrase.length < MIN_EXPORT_PASSPHRASE) errors.passphrase = `Use at least ${MIN_EXPORT_PASSPHRASE} characters`;
  if (values.confirm !== values.passphrase) errors.confirm = 'The two passphrases differ';
  if (!values.acknowledged) errors.acknowledged = 'Confirm that you mean to export the private key';
  return errors;
}
