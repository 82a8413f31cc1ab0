import type { AuthorityUrls, SanEntry } from '../../../shared/contract/index.ts';
import { keySpec } from '../pki/key-types.ts';
import type { Profile } from '../pki/profiles.ts';
import { sanExtension } from '../pki/sans.ts';
import { randomSerialHex } from '../pki/serial.ts';
import { defaultCrypto, x509 } from '../pki/x509.ts';
import type { Crypto, CryptoKey } from '../pki/webcrypto.ts';
import type { IssuerMaterial } from '../pki/issuer.ts';

const KEY_USAGE_FLAGS: Record<Profile['keyUsage'][number], number> = {
  digitalSignature: x509.KeyUsageFlags.digitalSignature,
  keyEncipherment: x509.KeyUsageFlags.keyEncipherment,
  keyAgreement: x509.KeyUsageFlags.keyAgreement,
};

export interface SignLeafParams {
  issuer: IssuerMaterial;
  profile: Profile;
  subject: x509.Name;
  sans: readonly SanEntry[];
  publicKey: CryptoKey | x509.PublicKey;
  notBefore: Date;
  notAfter: Date;
  /** The issuing CA's distribution URLs: cRLDistributionPoints and authorityInfoAccess when set. */
  urls?: AuthorityUrls;
  crypto?: Crypto;
}

/**
 * Signs an end-entity certificate under the profile: X.509 v3, a 128-bit random serial, critical
 * BasicConstraints CA:false, critical KU, EKU, SKI, AKI, the CA's CRL distribution point and
 * authority information access when it has URLs, and SANs (critical when the subject is
 * empty, RFC 5280 §4.2.1.6). The caller has already checked key strength, names and validity.
 * Issuance signs through LeafTemplate; this generic build through @peculiar/x509 stays as the
 * reference the template is proven byte-identical to (test/unit/leaf-fast-path.test.ts).
 */
export async function signLeaf(params: SignLeafParams): Promise<x509.X509Certificate> {
  const crypto = params.crypto ?? defaultCrypto;
  const publicKey = params.publicKey instanceof x509.PublicKey ? await params.publicKey.export(crypto) : params.publicKey;
  const usage = params.profile.keyUsage.reduce((flags, u) => flags | KEY_USAGE_FLAGS[u], 0);
  const emptySubject = params.subject.toArrayBuffer().byteLength <= 2;
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(usage, true),
    new x509.ExtendedKeyUsageExtension([...params.profile.extendedKeyUsages], false),
    await x509.SubjectKeyIdentifierExtension.create(publicKey, false, crypto),
    await x509.AuthorityKeyIdentifierExtension.create(params.issuer.certificate, false, crypto),
  ];
  const urls = params.urls;
  if (urls?.crlUrl) extensions.push(new x509.CRLDistributionPointsExtension([urls.crlUrl], false));
  if (urls?.ocspUrl || urls?.caIssuersUrl)
    extensions.push(
      new x509.AuthorityInfoAccessExtension(
        { ...(urls.ocspUrl ? { ocsp: [urls.ocspUrl] } : {}), ...(urls.caIssuersUrl ? { caIssuers: [urls.caIssuersUrl] } : {}) },
        false,
      ),
    );
  if (params.sans.length > 0) extensions.push(sanExtension(params.sans, emptySubject));
  return x509.X509CertificateGenerator.create(
    {
      serialNumber: randomSerialHex(crypto),
      subject: params.subject,
      issuer: params.issuer.certificate.subjectName,
      notBefore: params.notBefore,
      notAfter: params.notAfter,
      publicKey,
      signingKey: params.issuer.privateKey,
      signingAlgorithm: keySpec(params.issuer.keyType).sign,
      extensions,
    },
    crypto,
  );
}
