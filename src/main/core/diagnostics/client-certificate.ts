/**
 * What the flight check needs to know about the certificates it is given: the leaf's subject,
 * validity and `x5t#S256`, the chain to send with it, and the CAs of our bundle.
 */
import { X509Certificate } from 'node:crypto';
import { subjectForms } from '../pki/names.ts';
import { certificateToPem, decodePemOrBase64, toArrayBuffer } from '../pki/pem.ts';
import { thumbprints } from '../pki/thumbprints.ts';
import { x509 } from '../pki/x509.ts';

export interface ClientCertificateFacts {
  x5tS256: string;
  /** Node's form, one RDN per line in certificate order: what Auth0 stores. */
  subjectLines: string;
  subjectRfc4514: string;
  issuerRfc4514: string;
  notBefore: Date;
  notAfter: Date;
  serialHex: string;
  /** The leaf, then the chain without the leaf repeated: what goes over TLS. */
  sendPem: string;
}

export interface BundleAuthority {
  subject: string;
  subjectDer: Uint8Array;
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** Every certificate in a PEM text, as DER. */
export function pemCertificates(pem: string, field: string): Uint8Array[] {
  return (pem.match(PEM_BLOCK) ?? []).map((block) => decodePemOrBase64(block, ['CERTIFICATE'], field));
}

export function readClientCertificate(certificate: { certPem: string; chainPem?: string | undefined }): ClientCertificateFacts {
  const leafDer = decodePemOrBase64(certificate.certPem, ['CERTIFICATE'], 'certificate.certPem');
  const leaf = new X509Certificate(leafDer);
  const names = subjectForms(leafDer);
  const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));
  const extra = [
    ...pemCertificates(certificate.certPem, 'certificate.certPem').slice(1),
    ...pemCertificates(certificate.chainPem ?? '', 'certificate.chainPem'),
  ];
  const chain = extra.filter((der, i) => !same(der, leafDer) && extra.findIndex((other) => same(other, der)) === i);
  return {
    x5tS256: thumbprints(leafDer).sha256Base64url,
    subjectLines: names.lines,
    subjectRfc4514: names.rfc4514,
    issuerRfc4514: names.issuerRfc4514,
    notBefore: leaf.validFromDate,
    notAfter: leaf.validToDate,
    serialHex: leaf.serialNumber.toLowerCase(),
    sendPem: [leafDer, ...chain].map(certificateToPem).join(''),
  };
}

export function readBundleAuthorities(caBundlePem: string): BundleAuthority[] {
  return pemCertificates(caBundlePem, 'caBundlePem').map((der) => {
    const name = new x509.X509Certificate(toArrayBuffer(der)).subjectName;
    return { subject: name.toString(), subjectDer: new Uint8Array(name.toArrayBuffer()) };
  });
}

/** A DER Name from a CertificateRequest, printed like our bundle's subjects (or as hex if it does not parse). */
export function describeName(der: Uint8Array): string {
  try {
    return new x509.Name(toArrayBuffer(der)).toString();
  } catch {
    return `(unparsable name ${Buffer.from(der).toString('hex').slice(0, 40)}…)`;
  }
}
