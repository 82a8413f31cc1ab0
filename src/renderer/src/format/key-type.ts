import type { CaKeyType, KeyType } from '../../../shared/contract/index.ts';

const LABELS: Record<KeyType, string> = {
  'ec-p256': 'ECDSA P-256',
  'ec-p384': 'ECDSA P-384',
  'rsa-2048': 'RSA 2048',
  'rsa-3072': 'RSA 3072',
  'rsa-4096': 'RSA 4096',
};

/** What an operator reads in `openssl x509 -text`, not our storage identifiers. */
export function keyTypeLabel(type: KeyType): string {
  return LABELS[type] ?? type;
}

const CA_HINTS: Partial<Record<CaKeyType, string>> = {
  'ec-p256': ' (recommended)',
  'rsa-4096': ' (slow to generate)',
};

export function caKeyTypeOptionLabel(type: CaKeyType): string {
  return keyTypeLabel(type) + (CA_HINTS[type] ?? '');
}
