import type { CaKeyType } from '../../../shared/contract/index.ts';
import { keySpec } from '../pki/key-types.ts';
import { exportPkcs8, generateKeyPair } from '../pki/keys.ts';
import { buildName, type SubjectInput } from '../pki/names.ts';
import { randomSerialHex } from '../pki/serial.ts';
import { defaultCrypto, x509 } from '../pki/x509.ts';
import type { IssuerMaterial } from '../pki/issuer.ts';
import type { Crypto } from '../pki/webcrypto.ts';

/** Certificates are back-dated this much so a relying party whose clock is a little behind accepts them. */
export const BACKDATE_MS = 60_000;

export interface CreateAuthorityParams {
  subject: SubjectInput;
  keyType: CaKeyType;
  notBefore: Date;
  notAfter: Date;
  /** Absent for a self-signed root. */
  issuer?: IssuerMaterial;
  crypto?: Crypto;
}

export interface CreatedAuthority {
  certificate: x509.X509Certificate;
  pkcs8: Uint8Array;
}

/**
 * Makes a CA certificate and its key. A root is self-signed with no path-length limit; an issuing CA
 * is signed by `issuer` with pathLen 0, so it can sign leaves only. Both carry the extensions
 * `openssl verify -x509_strict` requires of a CA: critical BasicConstraints, critical KU
 * keyCertSign|cRLSign, SKI, and (below the root) an AKI matching the issuer's SKI.
 */
export async function createAuthorityCertificate(params: CreateAuthorityParams): Promise<CreatedAuthority> {
  const crypto = params.crypto ?? defaultCrypto;
  const keys = await generateKeyPair(params.keyType, crypto);
  const name = buildName(params.subject);
  const caKeyUsage = new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true);
  const ski = await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto);
  const common = { serialNumber: randomSerialHex(crypto), notBefore: params.notBefore, notAfter: params.notAfter };

  let certificate: x509.X509Certificate;
  if (!params.issuer) {
    certificate = await x509.X509CertificateGenerator.createSelfSigned(
      {
        ...common,
        name,
        keys,
        signingAlgorithm: keySpec(params.keyType).sign,
        extensions: [new x509.BasicConstraintsExtension(true, undefined, true), caKeyUsage, ski],
      },
      crypto,
    );
  } else {
    const aki = await x509.AuthorityKeyIdentifierExtension.create(params.issuer.certificate, false, crypto);
    certificate = await x509.X509CertificateGenerator.create(
      {
        ...common,
        subject: name,
        issuer: params.issuer.certificate.subjectName,
        publicKey: keys.publicKey,
        signingKey: params.issuer.privateKey,
        signingAlgorithm: keySpec(params.issuer.keyType).sign,
        extensions: [new x509.BasicConstraintsExtension(true, 0, true), caKeyUsage, ski, aki],
      },
      crypto,
    );
  }
  return { certificate, pkcs8: await exportPkcs8(keys.privateKey, crypto) };
}

/** `from` plus whole calendar years, in UTC (29 February rolls to 1 March). */
export function addYears(from: Date, years: number): Date {
  const to = new Date(from.getTime());
  to.setUTCFullYear(to.getUTCFullYear() + years);
  return to;
}
