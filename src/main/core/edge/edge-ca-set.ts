/**
 * The issuing CAs the edge trusts are part of the operator's edge approval: a CA that arrived from a
 * paired peer or an import must not reach nginx because a channel (the renderer, the web token) named
 * it. The set is identified by the CAs' certificate SHA-256s (a CA re-imported under the same name is
 * another CA) and sealed under the edge approval's MAC (edge-config.ts). A publication that is not the
 * operator's may trust the approved set or a part of it: narrowing only removes trust (a CA retired or
 * revoked), so it needs no approval; a CA outside the set does.
 */
import type { EdgeApprovedCa, EdgeApprovedCas } from '../../../shared/contract/index.ts';
import type { CoreContext } from '../context.ts';
import { CertdeskError } from '../errors.ts';
import type { AuthorityRecord } from '../store/authority-repository.ts';
import type { CaApprovalRequest } from './ca-approval-text.ts';
import { parseSealedCas, sealedCasText } from './edge-ca-seal.ts';
import { approvedRow, storeApproval, trustedBase } from './edge-config.ts';

export const CAS_FIX =
  'The operator approves the set: certdesk edge settings set … --ca NAME (one --ca for each issuing CA the edge trusts), a publication from the CLI (certdesk edge export --ca NAME …), or the approval dialog of the desktop app.';

interface ApprovedSet {
  source: EdgeApprovedCas['source'];
  sha256s: string[];
  approvedAt: string | null;
  approvedBy: string | null;
}

/** The issuing CAs of the latest publication: what an edge approved before sets were sealed trusts. */
function lastPublicationSet(ctx: CoreContext): string[] | null {
  const last = ctx.db.prepare('SELECT id, authority_id FROM edge_publications ORDER BY id DESC LIMIT 1').get() as
    { id: number; authority_id: string } | undefined;
  if (!last) return null;
  const members = ctx.db
    .prepare(
      'SELECT a.sha256_hex AS sha FROM publication_authorities p JOIN authorities a ON a.id = p.authority_id WHERE p.publication_id = ?',
    )
    .all(last.id) as Array<{ sha: string }>;
  const shas =
    members.length > 0
      ? members
      : (ctx.db.prepare('SELECT sha256_hex AS sha FROM authorities WHERE id = ?').all(last.authority_id) as Array<{ sha: string }>);
  return shas.map((m) => m.sha.toLowerCase()).sort();
}

/** The set a publication that is not the operator's may trust; null when the edge approval does not hold or no set stands. */
function approvedSet(ctx: CoreContext): ApprovedSet | null {
  const row = approvedRow(ctx);
  if (!row) return null;
  if (row.cas !== null) {
    const sealed = parseSealedCas(row.cas);
    return { source: 'approved', sha256s: sealed.sha256s, approvedAt: sealed.approvedAt, approvedBy: sealed.approvedBy };
  }
  const published = lastPublicationSet(ctx);
  return published ? { source: 'last-publication', sha256s: published, approvedAt: null, approvedBy: null } : null;
}

function describe(ctx: CoreContext, sha256: string): EdgeApprovedCa {
  const held = ctx.db.prepare('SELECT id, name FROM authorities WHERE sha256_hex = ? ORDER BY created_at LIMIT 1').get(sha256) as
    { id: string; name: string } | undefined;
  return { sha256, id: held?.id ?? null, name: held?.name ?? null };
}

/** The approved set as the CLI and the Edge page show it. */
export function approvedCasView(ctx: CoreContext): EdgeApprovedCas | null {
  const set = approvedSet(ctx);
  if (!set) return null;
  return {
    source: set.source,
    authorities: set.sha256s.map((sha) => describe(ctx, sha)),
    approvedAt: set.approvedAt,
    approvedBy: set.approvedBy,
  };
}

const shortSha = (sha256: string) => `SHA-256 ${sha256.slice(0, 16)}…`;
const label = (ca: { name: string | null; sha256: string }) => `"${ca.name ?? 'a CA no longer in certdesk'}" (${shortSha(ca.sha256)})`;
const list = (cas: Array<{ name: string | null; sha256: string }>) => cas.map(label).join(', ');
const asCa = (ca: AuthorityRecord) => ({ name: ca.name, sha256: ca.sha256Hex.toLowerCase() });

/** How `issuing` differs from the approved set. */
function change(ctx: CoreContext, issuing: readonly AuthorityRecord[], set: ApprovedSet) {
  const chosen = issuing.map(asCa);
  return {
    added: chosen.filter((ca) => !set.sha256s.includes(ca.sha256)),
    removed: set.sha256s.filter((sha) => !chosen.some((ca) => ca.sha256 === sha)).map((sha) => describe(ctx, sha)),
  };
}

/**
 * Refuses, by name and before anything is written, a publication not made by the operator whose issuing
 * CAs are not all in the approved set. The caller has checked that the edge approval holds.
 */
export function requireApprovedCas(ctx: CoreContext, issuing: readonly AuthorityRecord[]): void {
  const set = approvedSet(ctx);
  if (!set)
    throw new CertdeskError(
      'EDGE_CAS_NOT_APPROVED',
      `No issuing CAs are approved for the edge yet, so nothing was published: trusting ${list(issuing.map(asCa))} needs the operator. ${CAS_FIX}`,
      { field: 'ca' },
    );
  const { added, removed } = change(ctx, issuing, set);
  if (added.length === 0) return; // the approved set, or a part of it: narrowing removes trust only
  const approved = set.sha256s.map((sha) => describe(ctx, sha));
  throw new CertdeskError(
    'EDGE_CAS_NOT_APPROVED',
    `${list(added)} ${added.length === 1 ? 'is' : 'are'} not among the issuing CAs approved for the edge (${list(approved)}), so nothing was published${
      removed.length > 0 ? ` (the set would also drop ${list(removed)})` : ''
    }. Adding a CA to what nginx trusts needs the operator; a narrower set (a CA retired) needs no approval. ${CAS_FIX}`,
    { field: 'ca' },
  );
}

/** What the desktop app's dialog asks about; null when `issuing` is exactly the approved set. */
export function caApprovalRequest(ctx: CoreContext, issuing: readonly AuthorityRecord[], folder: string): CaApprovalRequest | null {
  const set = approvedSet(ctx);
  const { added, removed } = set ? change(ctx, issuing, set) : { added: issuing.map(asCa), removed: [] };
  if (set && added.length === 0 && removed.length === 0) return null;
  return {
    folder,
    authorities: [
      ...issuing
        .map(asCa)
        .map((ca) => ({ ...ca, change: added.some((a) => a.sha256 === ca.sha256) ? ('added' as const) : ('kept' as const) })),
      ...removed.map((ca) => ({ name: ca.name ?? 'a CA no longer in certdesk', sha256: ca.sha256, change: 'removed' as const })),
    ],
  };
}

/** The operator's approval of exactly these issuing CAs (an operator path, audit key loaded); audited when it changes. */
export function approveEdgeCas(ctx: CoreContext, issuing: readonly AuthorityRecord[], by: string): void {
  const sha256s = [...new Set(issuing.map((ca) => ca.sha256Hex.toLowerCase()))].sort();
  const base = trustedBase(ctx);
  const previous = base.cas === null ? null : parseSealedCas(base.cas).sha256s;
  if (previous !== null && previous.join() === sha256s.join()) return;
  const text = sealedCasText({ sha256s, approvedAt: ctx.clock.now().toISOString(), approvedBy: by });
  storeApproval(ctx, { ...base, cas: text }, 'edge.cas.approve', {
    authorities: issuing.map((ca) => ca.name),
    sha256s,
    previous,
    by,
  });
}
