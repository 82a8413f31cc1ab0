import type { KeyType, LintCheck, LintResult } from '../../../shared/contract/index.ts';
import { CertdeskError } from '../errors.ts';
import { CertificateBytes, EXTENSION_OIDS } from './certificate-bytes.ts';
import { readPublicKey } from './key-types.ts';
import { dnKey, nameDer, recentDnKey } from './names.ts';
import { EKU, type Profile } from './profiles.ts';
import { defaultCrypto, x509 } from './x509.ts';
import type { Crypto } from './webcrypto.ts';

/** Reads the X.509 version (1, 2 or 3) straight from the DER: @peculiar/x509 does not expose it. */
export function certificateVersion(der: Uint8Array): number {
  let i = 0;
  const skipHeader = () => {
    i++; // tag
    const len = der[i++] ?? 0;
    if (len & 0x80) i += len & 0x7f;
  };
  skipHeader(); // Certificate SEQUENCE
  skipHeader(); // TBSCertificate SEQUENCE
  if (der[i] !== 0xa0) return 1; // version is DEFAULT v1 when absent
  return (der[i + 4] ?? 0) + 1; // [0] { INTEGER len 1 value }
}

export interface LintContext {
  /** Known CA certificates (issuing and root) to build the chain from. */
  authorities: readonly x509.X509Certificate[];
  /** The profile whose rules apply; the client profile's Step-1 checklist when absent. */
  profile?: Profile;
  now: Date;
  crypto?: Crypto;
  /**
   * The DER of the CA certificate whose key certdesk just signed this leaf with, that key proven to
   * match the certificate: the leaf's own signature is then known good and not verified again.
   */
  signedBy?: Uint8Array;
  /**
   * The key type certdesk just read (a CSR's key) or made (a generated key) for this SubjectPublicKeyInfo:
   * a certificate with exactly these SPKI bytes is not read by OpenSSL again for its key check.
   */
  key?: { spki: Uint8Array; keyType: KeyType };
}

/**
 * Signatures already verified, per certificate object and issuer object. A CA's parsed certificate
 * is cached per process, so each link above the leaf is verified once, not once per leaf; the
 * objects stand for fixed bytes, so the answer cannot go stale.
 */
const verifiedLinks = new WeakMap<x509.X509Certificate, WeakMap<x509.X509Certificate, boolean>>();
const selfSigned = new WeakMap<x509.X509Certificate, boolean>();

async function signedByParent(child: x509.X509Certificate, parent: x509.X509Certificate, crypto: Crypto): Promise<boolean> {
  let byParent = verifiedLinks.get(child);
  const known = byParent?.get(parent);
  if (known !== undefined) return known;
  const ok = await child.verify({ publicKey: parent.publicKey, signatureOnly: true }, crypto).catch(() => false);
  if (!byParent) verifiedLinks.set(child, (byParent = new WeakMap()));
  byParent.set(parent, ok);
  return ok;
}

async function isRoot(ca: x509.X509Certificate, crypto: Crypto): Promise<boolean> {
  const known = selfSigned.get(ca);
  if (known !== undefined) return known;
  const ok = await ca.isSelfSigned(crypto);
  selfSigned.set(ca, ok);
  return ok;
}

/**
 * A CA certificate's subject as its DN key (dnKey: equal keys are sameDn), worked out once per parsed
 * certificate: the chain walk compares every known CA's subject with each leaf's issuer.
 */
const subjectKeys = new WeakMap<x509.X509Certificate, string>();
function subjectKeyOf(ca: x509.X509Certificate): string {
  let key = subjectKeys.get(ca);
  if (key === undefined) subjectKeys.set(ca, (key = dnKey(nameDer(ca.subjectName))));
  return key;
}

const sameBytes = (a: ArrayBuffer, b: Uint8Array) => Buffer.from(a).equals(b);

/**
 * The seed's Step-1 checklist as pass/fail lines with fixes: v3, key type and size, EKU, a CN or
 * SAN, validity within policy, a complete chain to a known root, and no CA expiring before the leaf.
 */
export async function lintCertificate(leaf: CertificateBytes | x509.X509Certificate, ctx: LintContext): Promise<LintResult> {
  const cert = leaf instanceof CertificateBytes ? leaf : CertificateBytes.of(leaf);
  const crypto = ctx.crypto ?? defaultCrypto;
  const checks: LintCheck[] = [];
  const add = (id: LintCheck['id'], ok: boolean, message: string, fix?: string) =>
    checks.push(ok || !fix ? { id, ok, message } : { id, ok, message, fix });

  const version = certificateVersion(cert.der);
  add('version', version === 3, `X.509 v${version}`, 'Reissue as X.509 v3 (extensions need v3).');

  try {
    const known = ctx.key !== undefined && Buffer.from(ctx.key.spki).equals(cert.spki) ? ctx.key.keyType : undefined;
    const keyType = known ?? (await readPublicKey(cert.spki, crypto)).keyType;
    const allowed = ctx.profile?.keyTypes ?? ['ec-p256', 'ec-p384', 'rsa-2048', 'rsa-3072', 'rsa-4096'];
    add('key', allowed.includes(keyType), `Key ${keyType}`, `Use one of ${allowed.join(', ')}.`);
  } catch (error) {
    add(
      'key',
      false,
      error instanceof CertdeskError ? error.message : 'The public key could not be read.',
      'Reissue with RSA ≥ 2048 or ECDSA P-256/P-384.',
    );
  }

  const wanted = ctx.profile?.extendedKeyUsages ?? [EKU.clientAuth];
  const eku = cert.extension(EXTENSION_OIDS.extKeyUsage, x509.ExtendedKeyUsageExtension);
  const usages = (eku?.usages ?? []).map(String);
  const missing = wanted.filter((oid) => !usages.includes(oid));
  add(
    'eku',
    missing.length === 0,
    eku ? `EKU ${usages.map(ekuName).join(', ')}` : 'No extended key usage',
    `Reissue with EKU ${missing.map(ekuName).join(', ')}: Auth0 and the edge accept only clientAuth certificates for mTLS clients.`,
  );

  const cn = cert.commonNames();
  const sans = cert.sans();
  add(
    'subject',
    cn.length > 0 || sans.length > 0,
    cn.length
      ? `CN=${cn[0]}${sans.length ? ` and ${sans.length} SAN(s)` : ''}`
      : sans.length
        ? `${sans.length} SAN(s), no CN`
        : 'Neither a CN nor a SAN',
    'Reissue with a subject CN or a SAN naming the client.',
  );

  const days = (cert.notAfter.getTime() - cert.notBefore.getTime()) / 86_400_000;
  const maxDays = ctx.profile?.maxDays ?? 397;
  const current = cert.notBefore <= ctx.now && ctx.now < cert.notAfter;
  const validityOk = current && Math.floor(days) <= maxDays;
  const validityMessage = !current
    ? ctx.now < cert.notBefore
      ? `Not valid until ${cert.notBefore.toISOString()}`
      : `Expired on ${cert.notAfter.toISOString()}`
    : `Valid ${Math.round(days)} days, until ${cert.notAfter.toISOString()}`;
  add('validity', validityOk, validityMessage, !current ? 'Renew the certificate.' : `Reissue with at most ${maxDays} days.`);

  // Chain: walk issuers among the known CAs, verifying each signature, up to a self-signed root. The
  // leaf is decoded whole only when its own signature is to be verified.
  const chain: x509.X509Certificate[] = [];
  let child: { issuerKey: string; subject: () => string; verifiedBy: (parent: x509.X509Certificate) => Promise<boolean> } = {
    issuerKey: recentDnKey(cert.issuerDer),
    subject: () => cert.subjectName.toString(),
    verifiedBy: async (parent) =>
      (ctx.signedBy !== undefined && sameBytes(parent.rawData, ctx.signedBy)) || signedByParent(cert.parsed, parent, crypto),
  };
  let chainOk = false;
  let chainMessage: string | undefined;
  for (let depth = 0; depth < 5; depth++) {
    const parent = ctx.authorities.find((ca) => subjectKeyOf(ca) === child.issuerKey);
    if (!parent) break;
    if (!(await child.verifiedBy(parent))) {
      chainMessage = `The signature of ${child.subject()} does not verify with ${parent.subject}`;
      break;
    }
    chain.push(parent);
    if (await isRoot(parent, crypto)) {
      chainOk = true;
      const leafName = cn[0] ?? cert.subjectName.toString();
      chainMessage = `Chain complete: ${[leafName, ...chain.map((c) => c.subjectName.getField('CN')[0] ?? c.subject)].join(' → ')}`;
      break;
    }
    child = {
      issuerKey: recentDnKey(nameDer(parent.issuerName)),
      subject: () => parent.subject,
      verifiedBy: (above) => signedByParent(parent, above, crypto),
    };
  }
  // The issuer's name is decoded only when this message is the one left: no known CA issued the certificate.
  chainMessage ??= `No known CA issued it (issuer ${cert.issuerName.toString()})`;
  add('chain', chainOk, chainMessage, 'Import the issuing CA and its root into certdesk, or issue from a certdesk CA.');

  const early = chain.filter((ca) => ca.notAfter < cert.notAfter);
  add(
    'ca-outlives-leaf',
    chainOk && early.length === 0,
    early.length
      ? `${early.map((c) => c.subject).join(', ')} expires before the leaf (${early[0]?.notAfter.toISOString()})`
      : chainOk
        ? 'Every CA in the chain outlives the leaf'
        : 'Unknown: the chain is incomplete',
    early.length ? 'Renew the CA first, or reissue the leaf with a shorter validity.' : 'Complete the chain first.',
  );

  return { ok: checks.every((c) => c.ok), checks };
}

function ekuName(oid: string): string {
  return oid === EKU.clientAuth ? 'clientAuth' : oid === EKU.serverAuth ? 'serverAuth' : oid;
}
