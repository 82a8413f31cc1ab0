/** Certificate facts the emulator keys on, and nginx's encoding of the forwarded client certificate. */
import { createHash, X509Certificate } from 'node:crypto';

export interface CertificateFacts {
  /** Node's `X509Certificate.subject`: one RDN per line, in certificate order (Auth0's form). */
  subjectDn: string;
  /** base64url(SHA-256(DER)), the `x5t#S256` form. */
  thumbprintSha256: string;
  notBefore: Date;
  notAfter: Date;
  der: Buffer;
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----/g;

export function countPemCertificates(pem: string): number {
  return pem.match(PEM_CERTIFICATE)?.length ?? 0;
}

/** Parses one PEM certificate; throws with a readable message when it is not one. */
export function readCertificate(pem: string): CertificateFacts {
  if (countPemCertificates(pem) !== 1) throw new Error('Expected exactly one PEM certificate.');
  const cert = new X509Certificate(pem);
  return {
    subjectDn: cert.subject,
    thumbprintSha256: x5tS256(cert.raw),
    notBefore: cert.validFromDate,
    notAfter: cert.validToDate,
    der: cert.raw,
  };
}

export function x5tS256(der: Uint8Array): string {
  return createHash('sha256').update(der).digest('base64url');
}

/** The PEM text nginx's `$ssl_client_raw_cert` holds: OpenSSL's PEM writer, 64-column base64, LF. */
export function toPem(der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/**
 * nginx's `$ssl_client_escaped_cert`: `ngx_escape_uri(…, NGX_ESCAPE_URI_COMPONENT)` over the PEM, which
 * leaves only ALPHA, DIGIT, "-", ".", "_" and "~" and writes every other byte as `%XX` in upper-case hex.
 */
export function nginxEscapeUriComponent(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const unreserved =
      (byte >= 0x30 && byte <= 0x39) ||
      (byte >= 0x41 && byte <= 0x5a) ||
      (byte >= 0x61 && byte <= 0x7a) ||
      byte === 0x2d ||
      byte === 0x2e ||
      byte === 0x5f ||
      byte === 0x7e;
    out += unreserved ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
