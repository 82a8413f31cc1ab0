import { createHash, type KeyObject, sign as signNow } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AccessDescription,
  AuthorityInfoAccessSyntax,
  AuthorityKeyIdentifier,
  CRLDistributionPoints,
  DistributionPoint,
  DistributionPointName,
  BasicConstraints,
  ExtendedKeyUsage,
  Extension,
  GeneralName,
  id_ce_authorityKeyIdentifier,
  id_ad_caIssuers,
  id_ad_ocsp,
  id_ce_basicConstraints,
  id_ce_cRLDistributionPoints,
  id_ce_extKeyUsage,
  id_ce_keyUsage,
  id_ce_subjectAltName,
  id_pe_authorityInfoAccess,
  KeyIdentifier,
  KeyUsage,
  SubjectAlternativeName,
} from '@peculiar/asn1-x509';
import type { AuthorityUrls, SanEntry } from '../../../shared/contract/index.ts';
import { tlv, timeDer } from './der.ts';
import { GENERAL_NAME_TAGS, spkiPublicKeyBits } from './der-fields.ts';
import type { IssuerMaterial } from './issuer.ts';
import { keySpec } from './key-types.ts';
import type { Profile } from './profiles.ts';
import { defaultCrypto, x509 } from './x509.ts';
import type { Algorithm, Crypto } from './webcrypto.ts';

const SEQUENCE = 0x30;
const BIT_STRING = 0x03;
/** `[0] EXPLICIT INTEGER 2`: X.509 v3. */
const VERSION_V3 = Uint8Array.of(0xa0, 0x03, 0x02, 0x01, 0x02);
const KEY_USAGE_BITS: Record<Profile['keyUsage'][number], number> = {
  digitalSignature: x509.KeyUsageFlags.digitalSignature,
  keyEncipherment: x509.KeyUsageFlags.keyEncipherment,
  keyAgreement: x509.KeyUsageFlags.keyAgreement,
};

const extension = (extnID: string, critical: boolean, value: ArrayBuffer) =>
  new Uint8Array(AsnConvert.serialize(new Extension({ extnID, critical, extnValue: new OctetString(value) })));

const uri = (url: string) => new GeneralName({ uniformResourceIdentifier: url });

/**
 * The CA's distribution URLs as leaf extensions, non-critical (RFC 5280 §4.2.1.13, §4.2.2.1):
 * cRLDistributionPoints with one full-name URI, then authorityInfoAccess with OCSP before caIssuers
 * (the order @peculiar/x509 writes them in, so both signing paths agree). None when no URL is set.
 */
export function distributionExtensions(urls: AuthorityUrls | undefined): Uint8Array[] {
  const out: Uint8Array[] = [];
  if (urls?.crlUrl) {
    const point = new DistributionPoint({ distributionPoint: new DistributionPointName({ fullName: [uri(urls.crlUrl)] }) });
    out.push(extension(id_ce_cRLDistributionPoints, false, AsnConvert.serialize(new CRLDistributionPoints([point]))));
  }
  const access: AccessDescription[] = [];
  if (urls?.ocspUrl) access.push(new AccessDescription({ accessMethod: id_ad_ocsp, accessLocation: uri(urls.ocspUrl) }));
  if (urls?.caIssuersUrl) access.push(new AccessDescription({ accessMethod: id_ad_caIssuers, accessLocation: uri(urls.caIssuersUrl) }));
  if (access.length > 0) out.push(extension(id_pe_authorityInfoAccess, false, AsnConvert.serialize(new AuthorityInfoAccessSyntax(access))));
  return out;
}

/** What a leaf carries: everything but these is fixed by its CA and profile. */
export interface LeafFields {
  serialHex: string;
  notBefore: Date;
  notAfter: Date;
  /** The subject Name's DER. */
  subject: Uint8Array;
  /** The SubjectPublicKeyInfo's DER. */
  spki: Uint8Array;
  sans: readonly SanEntry[];
}

/**
 * The parts of a leaf certificate that depend only on its issuing CA and profile, encoded once:
 * version, signature algorithm, issuer name, BasicConstraints, KU, EKU, the AKI and the CA's
 * distribution URLs (CRL distribution point, authority information access). Issuing fills
 * in serial, validity, subject, SPKI, SKI and SANs around them and signs, with no parse of the
 * result: the same bytes signLeaf builds through @peculiar/x509 (test/unit/leaf-fast-path.test.ts).
 */
export class LeafTemplate {
  private readonly algorithm: Algorithm;
  /** The signature's hash as node:crypto names it (`sha256`). */
  private readonly hash: string;
  private readonly algorithmDer: Uint8Array;
  private readonly issuerDer: Uint8Array;
  /** BasicConstraints, KU and EKU, in signLeaf's order. */
  private readonly profileExtensions: Uint8Array;
  private readonly akiExtension: Uint8Array;
  /** cRLDistributionPoints and authorityInfoAccess, when the CA has URLs. */
  private readonly urlExtensions: Uint8Array[];
  private readonly crypto: Crypto;

  private constructor(parts: {
    algorithm: Algorithm;
    algorithmDer: Uint8Array;
    issuerDer: Uint8Array;
    profileExtensions: Uint8Array;
    akiExtension: Uint8Array;
    urlExtensions: Uint8Array[];
    crypto: Crypto;
  }) {
    this.algorithm = parts.algorithm;
    this.hash = nodeHash(parts.algorithm);
    this.algorithmDer = parts.algorithmDer;
    this.issuerDer = parts.issuerDer;
    this.profileExtensions = parts.profileExtensions;
    this.akiExtension = parts.akiExtension;
    this.urlExtensions = parts.urlExtensions;
    this.crypto = parts.crypto;
  }

  /** `signingKey` is the CA's key as WebCrypto has it: its algorithm fills the signature parameters, as in @peculiar/x509. */
  static async build(
    issuer: IssuerMaterial,
    profile: Profile,
    crypto: Crypto = defaultCrypto,
    urls?: AuthorityUrls,
  ): Promise<LeafTemplate> {
    const algorithm = { hash: 'SHA-256', ...keySpec(issuer.keyType).sign, ...issuer.privateKey.algorithm } as Algorithm;
    const algorithmDer = new Uint8Array(AsnConvert.serialize(new x509.AlgorithmProvider().toAsnAlgorithm(algorithm)));
    const usage = profile.keyUsage.reduce((flags, u) => flags | KEY_USAGE_BITS[u], 0);
    const profileExtensions = Buffer.concat([
      extension(id_ce_basicConstraints, true, AsnConvert.serialize(new BasicConstraints({ cA: false }))),
      extension(id_ce_keyUsage, true, AsnConvert.serialize(new KeyUsage(usage))),
      extension(id_ce_extKeyUsage, false, AsnConvert.serialize(new ExtendedKeyUsage([...profile.extendedKeyUsages]))),
    ]);
    const issuerKeyId = await issuer.certificate.publicKey.getKeyIdentifier(crypto);
    const aki = new AuthorityKeyIdentifier({ keyIdentifier: new KeyIdentifier(new Uint8Array(issuerKeyId)) });
    return new LeafTemplate({
      algorithm,
      algorithmDer,
      issuerDer: new Uint8Array(issuer.certificate.subjectName.toArrayBuffer()),
      profileExtensions: new Uint8Array(profileExtensions),
      akiExtension: extension(id_ce_authorityKeyIdentifier, false, AsnConvert.serialize(aki)),
      urlExtensions: distributionExtensions(urls),
      crypto,
    });
  }

  /** The TBSCertificate's DER for these fields. */
  tbs(fields: LeafFields): Uint8Array {
    // RFC 5280 §4.2.1.2 method 1, as @peculiar/x509 computes it: SHA-1 of the subjectPublicKey's bits.
    const keyId = createHash('sha1').update(spkiPublicKeyBits(fields.spki)).digest();
    // The leaf's own extensions, written as tlv: asn1-schema's encoding of them cost as much as the signature.
    const ski = tlv(SEQUENCE, SKI_OID, tlv(OCTET_STRING, tlv(OCTET_STRING, keyId)));
    const extensions = [this.profileExtensions, ski, this.akiExtension, ...this.urlExtensions];
    if (fields.sans.length > 0) {
      // RFC 5280 §4.2.1.6: critical when the subject is empty.
      extensions.push(sanExtension(fields.sans, fields.subject.byteLength <= 2));
    }
    return tlv(
      SEQUENCE,
      VERSION_V3,
      tlv(0x02, Buffer.from(fields.serialHex, 'hex')),
      this.algorithmDer,
      this.issuerDer,
      tlv(SEQUENCE, timeDer(fields.notBefore), timeDer(fields.notAfter)),
      fields.subject,
      fields.spki,
      tlv(0xa3, tlv(SEQUENCE, ...extensions)),
    );
  }

  /** Whether the CA's private key signs what its certificate's public key verifies: checked once, with a probe. */
  async pairs(issuer: IssuerMaterial): Promise<boolean> {
    const probe = this.crypto.getRandomValues(new Uint8Array(32));
    const signature = await this.crypto.subtle.sign(this.algorithm, issuer.privateKey, probe);
    const publicKey = await issuer.certificate.publicKey.export(this.algorithm, ['verify'], this.crypto);
    return this.crypto.subtle.verify(this.algorithm, publicKey, signature, probe).catch(() => false);
  }

  /**
   * The certificate's DER: the TBS signed with the CA's key, the signature in X.509's encoding. Signed
   * on this thread through node:crypto, the same OpenSSL call WebCrypto makes, without its trip through
   * the thread pool (a P-256 signature takes about 45 µs; the trip cost as much again). ECDSA comes out
   * DER-encoded (r, s) as X.509 wants it; RSASSA-PKCS1-v1_5 is node:crypto's default padding.
   */
  sign(tbs: Uint8Array, signingKey: KeyObject): Uint8Array {
    const value = signNow(this.hash, tbs, { key: signingKey, dsaEncoding: 'der' });
    return tlv(SEQUENCE, tbs, this.algorithmDer, tlv(BIT_STRING, Uint8Array.of(0), new Uint8Array(value)));
  }
}

/** `sha256` from WebCrypto's `{ name: 'ECDSA', hash: 'SHA-256' }` or an RSA key's `hash: { name: 'SHA-256' }`. */
function nodeHash(algorithm: Algorithm): string {
  const hash = (algorithm as { hash?: string | { name: string } }).hash;
  const name = typeof hash === 'string' ? hash : hash?.name;
  if (!name || !/^SHA-(256|384|512)$/.test(name) || (algorithm.name !== 'ECDSA' && algorithm.name !== 'RSASSA-PKCS1-v1_5'))
    throw new Error(`No leaf signature for ${algorithm.name} with ${String(name)}`);
  return name.replace('SHA-', 'sha');
}

const OCTET_STRING = 0x04;
/** `OBJECT IDENTIFIER 2.5.29.14` (subjectKeyIdentifier) and `2.5.29.17` (subjectAltName). */
const SKI_OID = Uint8Array.of(0x06, 0x03, 0x55, 0x1d, 0x0e);
const SAN_OID = Uint8Array.of(0x06, 0x03, 0x55, 0x1d, 0x11);
/** `BOOLEAN TRUE`: DER leaves a non-critical extension's flag out (its DEFAULT). */
const CRITICAL = Uint8Array.of(0x01, 0x01, 0xff);
/** Any UTF-16 unit past ASCII (surrogates included). */
const NON_ASCII = /[\u0080-\uffff]/;

/** The subjectAltName extension: tlv for ASCII names (what certdesk's checks let through), asn1-schema for any other. */
function sanExtension(sans: readonly SanEntry[], critical: boolean): Uint8Array {
  if (sans.some((san) => NON_ASCII.test(san.value)))
    return extension(id_ce_subjectAltName, critical, AsnConvert.serialize(new SubjectAlternativeName(sans.map(generalName))));
  const names = sans.map((san) => tlv(GENERAL_NAME_TAGS[san.type], Buffer.from(san.value, 'latin1')));
  return tlv(SEQUENCE, SAN_OID, ...(critical ? [CRITICAL] : []), tlv(OCTET_STRING, tlv(SEQUENCE, ...names)));
}

function generalName(san: SanEntry): GeneralName {
  if (san.type === 'dns') return new GeneralName({ dNSName: san.value });
  if (san.type === 'uri') return new GeneralName({ uniformResourceIdentifier: san.value });
  return new GeneralName({ rfc822Name: san.value });
}
