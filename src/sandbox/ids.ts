import { randomBytes } from 'node:crypto';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function alphanumeric(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += ALPHANUMERIC[b % ALPHANUMERIC.length];
  return out;
}

/** Ids shaped like Auth0's: `cred_` + 22, `cd_` + 16, `cgr_` + 16, 32-character client ids, 64-character secrets. */
export const ids = {
  clientId: (): string => alphanumeric(32),
  clientSecret: (): string => randomBytes(48).toString('base64url'),
  credential: (): string => `cred_${alphanumeric(22)}`,
  customDomain: (): string => `cd_${alphanumeric(16)}`,
  clientGrant: (): string => `cgr_${alphanumeric(16)}`,
  resourceServer: (): string => randomBytes(12).toString('hex'),
  cnameApiKey: (): string => randomBytes(32).toString('hex'),
  verificationRecord: (): string => `auth0-domain-verification=${randomBytes(16).toString('hex')}`,
};
