import type { CrlRequestItem, TransferItem } from '../../../shared/contract/index.ts';
import { CertdeskError } from '../errors.ts';
import { CrlRepository } from '../store/crl-repository.ts';
import type { ItemApplier, ItemReview } from '../transfer/ports.ts';
import { CRL_SERIES_OVERLAP_HOURS, crlItem, planCrlSeries, type CrlWindow } from './crl-series.ts';
import { authorityBySha256, problemOf, requireAuthority, type OfflineParts } from './parts.ts';

function judge(parts: OfflineParts, item: CrlRequestItem) {
  const { ctx } = parts;
  const problems: CertdeskError[] = [];
  const ca = authorityBySha256(ctx, item.issuerSha256);
  if (!ca) problems.push(problemOf(() => requireAuthority(ctx, item.issuerSha256))!);
  else if (ca.keyId === null)
    problems.push(
      new CertdeskError('NO_PRIVATE_KEY', `This workstation holds no key for "${ca.name}": it cannot sign its CRLs.`, {
        field: 'issuerSha256',
      }),
    );
  let windows: CrlWindow[] = [];
  if (ca) {
    const p = problemOf(() => (windows = planCrlSeries(item, ca, ctx.clock.now())));
    if (p) problems.push(p);
  }
  const next = ca ? (new CrlRepository(ctx.db).latest(ca.id)?.crlNumber ?? 0) + 1 : 0;
  const details: Record<string, string> = {
    requestId: item.requestId,
    issuer: ca ? `${ca.name} (${ca.sha256Hex.slice(0, 16)}…)` : `unknown CA ${item.issuerSha256.slice(0, 16)}…`,
    count: String(item.count),
    periodHours: String(item.periodHours),
    overlapHours: String(CRL_SERIES_OVERLAP_HOURS),
    firstThisUpdate: windows[0]?.thisUpdate.toISOString() ?? '',
    lastNextUpdate: windows.at(-1)?.nextUpdate.toISOString() ?? '',
    crlNumbers: windows.length ? `${next}…${next + windows.length - 1}` : '',
    revoked: ca ? String(ctx.certificates.revokedUnder(ca.id).length) : '',
    note: item.note,
  };
  if (problems.length) details.problems = problems.map((p) => `${p.code}: ${p.message}`).join(' | ');
  return { ca, windows, problems, details };
}

/** The signer's answer to a crl-request: a pre-signed series, `count` CRLs one period apart (see planCrlSeries). */
export function crlRequestApplier(parts: OfflineParts): ItemApplier<CrlRequestItem> {
  return {
    kind: 'crl-request',
    review(item): ItemReview {
      const j = judge(parts, item);
      const first = j.problems[0];
      return {
        effect: `Sign ${item.count} CRL${item.count === 1 ? '' : 's'} for ${j.ca?.name ?? 'an unknown CA'}, ${item.periodHours} hours each, until ${j.details.lastNextUpdate || '?'}`,
        details: j.details,
        problem: first ? { code: first.code, reason: first.message } : null,
      };
    },
    async apply(item, origin): Promise<TransferItem[]> {
      const j = judge(parts, item);
      if (j.problems[0]) throw j.problems[0];
      const ca = j.ca!;
      const views = await parts.crls.signSeries(ca.id, j.windows);
      parts.ctx.audit.append('offline.crl-series', ca.id, {
        requestId: item.requestId,
        crlNumbers: views.map((v) => v.crlNumber),
        importId: origin.importId,
        itemId: origin.itemId,
      });
      return views.map((v) => crlItem(v, ca.sha256Hex, item.requestId));
    },
  };
}
