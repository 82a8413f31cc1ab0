import { createHash } from 'node:crypto';

export interface Thumbprints {
  sha256Hex: string;
  /** The `x5t#S256` form. */
  sha256Base64url: string;
  sha1Hex: string;
}

/** Thumbprints of a certificate's DER, as OpenSSL (`x509 -fingerprint`) and RFC 8705 compute them. */
export function thumbprints(der: Uint8Array): Thumbprints {
  const sha256 = createHash('sha256').update(der).digest();
  return {
    sha256Hex: sha256.toString('hex'),
    sha256Base64url: sha256.toString('base64url'),
    sha1Hex: createHash('sha1').update(der).digest('hex'),
  };
}
