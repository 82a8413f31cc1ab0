import type { AuthorityView } from '../../../shared/contract/index.ts';
import { subjectForms } from '../pki/names.ts';
import { certificateToPem } from '../pki/pem.ts';
import { thumbprints } from '../pki/thumbprints.ts';
import { x509 } from '../pki/x509.ts';
import type { AuthorityRecord } from '../store/authority-repository.ts';

/** What the renderer and CLI see of an authority: certificate facts, never key material. */
export function toAuthorityView(record: AuthorityRecord): AuthorityView {
  const names = subjectForms(record.certDer);
  const cert = new x509.X509Certificate(record.certDer);
  const basic = cert.getExtension(x509.BasicConstraintsExtension);
  return {
    id: record.id,
    name: record.name,
    kind: record.kind,
    parentId: record.parentId,
    subject: names.rfc4514,
    subjectLines: names.lines,
    issuer: names.issuerRfc4514,
    serialHex: record.serialHex,
    notBefore: record.notBefore,
    notAfter: record.notAfter,
    keyType: record.keyType,
    pathLength: basic?.pathLength ?? null,
    ...thumbprints(record.certDer),
    pem: certificateToPem(record.certDer),
    createdAt: record.createdAt,
    retiredAt: record.retiredAt ?? null,
    revokedAt: record.revokedAt ?? null,
    revocationReason: record.revocationReason ?? null,
    crl: null,
    urls: record.urls ?? { crlUrl: null, caIssuersUrl: null, ocspUrl: null },
  };
}
