import type { KeyType, ProfileView } from '../../../shared/contract/index.ts';
import { CertdeskError } from '../errors.ts';

export const EKU = {
  clientAuth: '1.3.6.1.5.5.7.3.2',
  serverAuth: '1.3.6.1.5.5.7.3.1',
} as const;

/**
 * What a certificate may be (step-ca's provisioner idea): allowed keys, usages, validity and name
 * rules. A profile is data; the authority applies it before signing. Adding a profile is adding
 * an entry here, not a code path.
 */
export interface Profile extends ProfileView {
  /** Key usage flags (RFC 5280 §4.2.1.3), critical. */
  keyUsage: Array<'digitalSignature' | 'keyEncipherment' | 'keyAgreement'>;
  /** At least a CN or a SAN, and which SAN types are allowed. */
  sanTypes: Array<'dns' | 'uri' | 'email'>;
  /** Renewal: renew when this share of the lifetime has passed, or `renewDaysBefore` days before expiry. */
  renewAtFraction: number;
  renewDaysBefore: number;
  /**
   * Rotation: how long the old certificate must go unseen at the edge before its credential is
   * removed (seconds), unless the job sets its own. Used only when an edge evidence source exists.
   */
  rotationQuietSeconds: number;
}

export const PROFILES: readonly Profile[] = [
  {
    name: 'auth0-mtls-client',
    description: 'OAuth mTLS client certificate for Auth0 (tls_client_auth): clientAuth, 90 days.',
    keyTypes: ['ec-p256', 'ec-p384', 'rsa-2048', 'rsa-3072', 'rsa-4096'],
    defaultKeyType: 'ec-p256',
    defaultDays: 90,
    maxDays: 397,
    extendedKeyUsages: [EKU.clientAuth],
    keyUsage: ['digitalSignature'],
    sanTypes: ['dns', 'uri', 'email'],
    csrSubject: 'override-allowed',
    renewAtFraction: 2 / 3,
    renewDaysBefore: 30,
    rotationQuietSeconds: 900,
  },
  {
    name: 'mtls-server',
    description: 'TLS server certificate (serverAuth) for an edge or resource server, with DNS names.',
    keyTypes: ['ec-p256', 'ec-p384', 'rsa-2048', 'rsa-3072', 'rsa-4096'],
    defaultKeyType: 'ec-p256',
    defaultDays: 90,
    maxDays: 397,
    extendedKeyUsages: [EKU.serverAuth],
    keyUsage: ['digitalSignature', 'keyEncipherment'],
    sanTypes: ['dns'],
    csrSubject: 'override-allowed',
    renewAtFraction: 2 / 3,
    renewDaysBefore: 30,
    rotationQuietSeconds: 900,
  },
];

export const DEFAULT_PROFILE = 'auth0-mtls-client';

export function findProfile(name: string | undefined): Profile {
  const profile = PROFILES.find((p) => p.name === (name ?? DEFAULT_PROFILE));
  if (!profile)
    throw new CertdeskError('PROFILE_UNKNOWN', `There is no profile "${name}". Use one of: ${PROFILES.map((p) => p.name).join(', ')}.`, {
      field: 'profile',
    });
  return profile;
}

export function profileView(p: Profile): ProfileView {
  return {
    name: p.name,
    description: p.description,
    keyTypes: [...p.keyTypes],
    defaultKeyType: p.defaultKeyType,
    defaultDays: p.defaultDays,
    maxDays: p.maxDays,
    extendedKeyUsages: [...p.extendedKeyUsages],
    csrSubject: p.csrSubject,
  };
}

/** Refuses a key the profile does not allow, naming the fix. */
export function checkKeyType(profile: Profile, keyType: KeyType, field = 'keyType'): void {
  if (!profile.keyTypes.includes(keyType)) {
    throw new CertdeskError(
      'KEY_TOO_WEAK',
      `Profile ${profile.name} does not allow ${keyType}; use one of ${profile.keyTypes.join(', ')}.`,
      { field },
    );
  }
}

/** Refuses a validity outside 1…maxDays. */
export function checkDays(profile: Profile, days: number): void {
  if (!Number.isInteger(days) || days < 1 || days > profile.maxDays) {
    throw new CertdeskError(
      'VALIDITY_OUT_OF_RANGE',
      `days must be a whole number from 1 to ${profile.maxDays} for profile ${profile.name} (got ${days}).`,
      { field: 'days' },
    );
  }
}
