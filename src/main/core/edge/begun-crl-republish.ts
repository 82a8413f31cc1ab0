import type { Crls } from '../ca/crls.ts';
import type { CoreContext } from '../context.ts';
import { CrlRepository } from '../store/crl-repository.ts';
import { edgeChain } from './edge-bundle.ts';
import { publicationAuthorities, republishIfChanged, type RepublishOutcome } from './publish-edge.ts';

/** The audit's `trigger` of a publication made because the next pre-signed CRL began. */
export const CRL_SERIES_TRIGGER = 'crl-series';

interface LastPublication {
  id: number;
  crl_numbers: string;
}

/** A CA of the edge whose pre-signed CRL now in effect numbers above the one the edge was given. */
export interface BegunCrl {
  ca: string;
  published: number | null;
  inEffect: number;
}

/**
 * The CRLs of the edge's latest publication that a later pre-signed one has replaced by now: for each
 * CA of its chains held without its key (a publisher's), the highest-numbered CRL already begun, when it
 * numbers above the one published. Read only: nothing is signed, written or audited here.
 */
export function begunCrls(ctx: CoreContext, now: Date): { publicationId: number; authorityId: string; begun: BegunCrl[] } | null {
  const last = ctx.db.prepare('SELECT id, crl_numbers FROM edge_publications ORDER BY id DESC LIMIT 1').get() as
    LastPublication | undefined;
  if (!last) return null;
  const cas = publicationAuthorities(ctx, last.id);
  if (cas.length === 0) return null;
  const published = JSON.parse(last.crl_numbers) as Record<string, number>;
  const repo = new CrlRepository(ctx.db);
  const at = now.toISOString();
  const begun: BegunCrl[] = [];
  for (const ca of edgeChain(ctx, cas).chain) {
    if (ca.keyId !== null) continue; // a CA with its key here signs its own CRL when one is due
    const inEffect = repo.inEffect(ca.id, at);
    const before = published[ca.name] ?? null;
    // Not once it has run out: that CRL cannot be served, and Crls.current says so by name.
    if (inEffect && new Date(inEffect.nextUpdate) > now && (before === null || inEffect.crlNumber > before))
      begun.push({ ca: ca.name, published: before, inEffect: inEffect.crlNumber });
  }
  return { publicationId: last.id, authorityId: cas[0]!, begun };
}

/**
 * Run at start and on every background round: when the next CRL of a pre-signed series has begun,
 * the edge's latest publication is made again (same folder, settings, CAs and approved reload, through
 * the Edge page's own publish path, audited with trigger `crl-series`), so the edge serves it without
 * the operator. Nothing at all happens while the edge already has the CRLs in effect.
 */
export async function republishBegunCrls(ctx: CoreContext, crls: Crls): Promise<(RepublishOutcome & { begun: BegunCrl[] }) | null> {
  const found = begunCrls(ctx, ctx.clock.now());
  if (!found || found.begun.length === 0) return null;
  const outcome = await republishIfChanged(ctx, crls, found.authorityId, CRL_SERIES_TRIGGER);
  return { ...outcome, begun: found.begun };
}
