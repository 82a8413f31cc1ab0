import { REVOCATION_REASONS, type RevocationReason, type RevokeRequestItem, type TransferItem } from '../../../shared/contract/index.ts';
import { CertdeskError } from '../errors.ts';
import type { AuthorityRecord } from '../store/authority-repository.ts';
import type { CertificateRow } from '../store/certificate-repository.ts';
import { CrlRepository } from '../store/crl-repository.ts';
import type { ItemApplier, ItemReview } from '../transfer/ports.ts';
import { crlItem, planReplacementSeries } from './crl-series.ts';
import { authorityBySha256, certificateUnder, problemOf, requireAuthority, type OfflineParts } from './parts.ts';

function judge(parts: OfflineParts, item: RevokeRequestItem) {
  const { ctx } = parts;
  const problems: CertdeskError[] = [];
  const ca: AuthorityRecord | undefined = authorityBySha256(ctx, item.issuerSha256);
  if (!ca) problems.push(problemOf(() => requireAuthority(ctx, item.issuerSha256))!);
  const cert: CertificateRow | undefined = ca ? certificateUnder(ctx, ca.id, item.serial) : undefined;
  if (ca && !cert)
    problems.push(
      new CertdeskError('NOT_FOUND', `No certificate with serial ${item.serial.slice(0, 64)} was issued under "${ca.name}" here.`, {
        field: 'serial',
      }),
    );
  if (cert?.revokedAt)
    problems.push(
      new CertdeskError('ALREADY_REVOKED', `This certificate was already revoked on ${cert.revokedAt} (${cert.revocationReason}).`, {
        field: 'serial',
      }),
    );
  if (!(REVOCATION_REASONS as readonly string[]).includes(item.reason))
    problems.push(
      new CertdeskError('VALIDATION', `"${item.reason}" is not a revocation reason; use one of ${REVOCATION_REASONS.join(', ')}.`, {
        field: 'reason',
      }),
    );
  const details: Record<string, string> = {
    requestId: item.requestId,
    certificate: cert ? `${cert.commonName ?? cert.subject} (serial ${cert.serialHex})` : `unknown (serial ${item.serial.slice(0, 64)})`,
    subject: cert?.subject ?? '',
    issuer: ca ? ca.name : `unknown CA ${item.issuerSha256.slice(0, 16)}…`,
    validUntil: cert?.notAfter ?? '',
    reason: item.reason,
    note: item.note,
  };
  if (problems.length) details.problems = problems.map((p) => `${p.code}: ${p.message}`).join(' | ');
  return { ca, cert, problems, details };
}

/**
 * The signer's answer to a revoke-request: the revocation, through the inventory as at the desk, and
 * CRLs listing it from now to the end of the CRL series already sent (see planReplacementSeries).
 */
export function revokeRequestApplier(parts: OfflineParts): ItemApplier<RevokeRequestItem> {
  const crls = new CrlRepository(parts.ctx.db);
  return {
    kind: 'revoke-request',
    review(item): ItemReview {
      const j = judge(parts, item);
      const first = j.problems[0];
      return {
        effect: `Revoke ${j.details.certificate} under ${j.details.issuer} (${item.reason}) and sign a fresh CRL`,
        details: j.details,
        problem: first ? { code: first.code, reason: first.message } : null,
      };
    },
    async apply(item, origin): Promise<TransferItem[]> {
      const j = judge(parts, item);
      if (j.problems[0]) throw j.problems[0];
      const ca = j.ca!;
      await parts.inventory.revoke(j.cert!.id, item.reason as RevocationReason);
      const horizon = crls.latest(ca.id)?.nextUpdate;
      const views = await parts.crls.signSeries(ca.id, planReplacementSeries(parts.ctx.clock.now(), horizon ? new Date(horizon) : null));
      parts.ctx.audit.append('offline.revoke', j.cert!.id, {
        requestId: item.requestId,
        serial: j.cert!.serialHex,
        crlNumbers: views.map((v) => v.crlNumber),
        importId: origin.importId,
        itemId: origin.itemId,
      });
      return views.map((v) => crlItem(v, ca.sha256Hex, item.requestId));
    },
  };
}
