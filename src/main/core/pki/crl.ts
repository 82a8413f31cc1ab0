import type { RevocationReason } from '../../../shared/contract/index.ts';
import type { IssuerMaterial } from './issuer.ts';
import { keySpec } from './key-types.ts';
import { defaultCrypto, x509 } from './x509.ts';
import type { Crypto } from './webcrypto.ts';

const CRL_NUMBER_OID = '2.5.29.20';

/** DER INTEGER of a non-negative safe integer (a CRL number). */
export function derInteger(n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`derInteger: ${n} is not a non-negative safe integer`);
  const bytes: number[] = [];
  let v = n;
  do {
    bytes.unshift(v % 256);
    v = Math.floor(v / 256);
  } while (v > 0);
  if ((bytes[0] ?? 0) & 0x80) bytes.unshift(0);
  return new Uint8Array([0x02, bytes.length, ...bytes]);
}

export interface CrlParams {
  issuer: IssuerMaterial;
  crlNumber: number;
  thisUpdate: Date;
  nextUpdate: Date;
  revoked: ReadonlyArray<{ serialHex: string; revokedAt: string; reason: RevocationReason }>;
  crypto?: Crypto;
}

/** A v2 CRL with CRL number and AKI (RFC 5280 §5.2.1, §5.2.3) and a reason code per entry. */
export async function createCrl(params: CrlParams): Promise<x509.X509Crl> {
  const crypto = params.crypto ?? defaultCrypto;
  return x509.X509CrlGenerator.create(
    {
      issuer: params.issuer.certificate.subjectName,
      thisUpdate: params.thisUpdate,
      nextUpdate: params.nextUpdate,
      signingKey: params.issuer.privateKey,
      signingAlgorithm: keySpec(params.issuer.keyType).sign,
      extensions: [
        await x509.AuthorityKeyIdentifierExtension.create(params.issuer.certificate, false, crypto),
        new x509.Extension(CRL_NUMBER_OID, false, derInteger(params.crlNumber)),
      ],
      entries: params.revoked.map((r) => ({
        serialNumber: r.serialHex,
        revocationDate: new Date(r.revokedAt),
        reason: x509.X509CrlReason[r.reason],
      })),
    },
    crypto,
  );
}

/** PEM with the `X509 CRL` label, the one OpenSSL and nginx read. */
export function crlToPem(der: Uint8Array): string {
  const b64 = Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '');
  return `-----BEGIN X509 CRL-----\n${b64}\n-----END X509 CRL-----\n`;
}
