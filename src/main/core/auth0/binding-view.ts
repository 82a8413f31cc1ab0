import type { BindingView } from '../../../shared/contract/index.ts';
import type { CertificateRow } from '../store/certificate-repository.ts';
import type { PlannedBinding } from './plan.ts';

/** The credential name certdesk gives a certificate at Auth0: readable, and unique per certificate. */
export function credentialNameFor(cert: Pick<CertificateRow, 'commonName' | 'serialHex'>): string {
  const cn = (cert.commonName ?? 'certificate').replace(/[^\w.@-]+/g, '-').slice(0, 64);
  return `certdesk ${cn} ${cert.serialHex.slice(0, 16)}`;
}

/** A binding as the UI and the CLI see it. */
export function toBindingView(p: PlannedBinding, tenantName: string, renewAt: string): BindingView {
  return {
    id: p.id,
    tenantId: p.tenantId,
    tenantName,
    clientId: p.clientId,
    certificateId: p.certificateId,
    subject: p.subject,
    subjectLines: p.subjectLines,
    thumbprintSha256: p.thumbprintSha256,
    certificateStatus: p.certificateStatus,
    notAfter: p.notAfter,
    renewAt,
    credentialType: p.credentialType,
    credentialName: p.credentialName,
    credentialId: p.credentialId,
    credentialExpiresAt: p.credentialExpiresAt,
    requirePop: p.requirePop,
    api: p.api,
    endpointAliases: p.endpointAliases,
    state: p.state,
    createdAt: p.createdAt,
    appliedAt: p.appliedAt,
  };
}
