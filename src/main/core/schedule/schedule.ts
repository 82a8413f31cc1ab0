import type { DueSummary, ScheduleCredential, ScheduleItem, ScheduleQuery } from '../../../shared/contract/index.ts';
import type { CoreContext } from '../context.ts';
import type { CertificateRow } from '../store/certificate-repository.ts';
import { PROFILES } from '../pki/profiles.ts';
import { CA_POLICY, daysBetween, leafRenewalPolicy, renewAt, scheduleState, type RenewalPolicy } from './renewal-policy.ts';
import { crlFreshness, summarizeDue } from '../../../shared/contract/index.ts';

const DAY = 86_400_000;
const URGENCY = { expired: 0, overdue: 1, due: 2, ok: 3 } as const;

/**
 * The rotation schedule: every certificate still in service (active leaves, all CAs) with its
 * renewal time and state, sorted by urgency, and the CA-expiry cascade spelled out as warnings.
 */
export function buildSchedule(ctx: CoreContext, query: ScheduleQuery = {}, evidence = false): ScheduleItem[] {
  const now = ctx.clock.now();
  const authorities = ctx.authorities.list();
  const byId = new Map(authorities.map((a) => [a.id, a]));
  const items: ScheduleItem[] = [];
  // Asked for what is due within N days (the due watch, on every page change), only the leaves that can be are read:
  // a 100,000-certificate inventory is never held whole for it.
  const within = query.withinDays;
  const until = within === undefined ? undefined : new Date(now.getTime() + (within + 1) * DAY);
  const profiles = PROFILES.map((p) => p.name);
  // One certificate's item (its detail panel): that row alone, and no CA.
  const only = query.certificate;
  const single = only === undefined ? undefined : ctx.certificates.get(only, now);
  const read = (status: 'active' | 'expired') =>
    only !== undefined
      ? single?.status === status
        ? [single]
        : []
      : until === undefined
        ? ctx.certificates.query({ status, limit: 1_000_000 }, now).rows
        : ctx.certificates.renewalCandidates(status, now, until, leafRenewalPolicy, profiles);
  const leaves = read('active');
  const expired = read('expired').filter((r) => !r.replacedById);
  const credentials = boundCredentials(ctx);
  const seen = evidence ? edgeSightings(ctx) : new Map<string, Sighting>();

  const leafContext: LeafContext = { now, byId, credentials };
  for (const leaf of [...leaves, ...expired])
    items.push(
      leafItem(leafContext, leaf, true, (warnings) =>
        evidence ? leafEvidence(seen.get(leaf.id), warnings, leaf.status === 'active' ? 'active' : 'expired') : null,
      ),
    );
  // Superseded and revoked certificates are out of the schedule, unless the edge still sees them.
  for (const { sighting, leaf } of retiredStillPresented(ctx, seen, now, only))
    items.push(
      leafItem(leafContext, leaf, false, (warnings) =>
        leafEvidence(sighting, warnings, leaf.revokedAt !== null ? 'revoked' : 'superseded'),
      ),
    );

  for (const ca of only === undefined ? authorities : []) {
    const notBefore = new Date(ca.notBefore);
    const notAfter = new Date(ca.notAfter);
    const warnings: string[] = [];
    const outlived = ctx.certificates.countOutliving(ca.id, notAfter.toISOString(), now);
    if (outlived) warnings.push(`${outlived} active certificate(s) it signed outlive it.`);
    const children = authorities.filter((a) => a.parentId === ca.id && new Date(a.notAfter) > notAfter);
    if (children.length) warnings.push(`Issuing CA(s) ${children.map((c) => `"${c.name}"`).join(', ')} outlive this root.`);
    // A CRL about to run out is as urgent as an expiry: an edge holding an outdated one may refuse every client.
    const crl = crlFreshness(ca.crl, now);
    if (crl.warning && !ca.revokedAt) warnings.push(crl.warning);
    const parent = ca.parentId ? byId.get(ca.parentId) : undefined;
    items.push(
      item(
        'ca',
        ca.id,
        ca.name,
        parent?.name ?? ca.name,
        null,
        notBefore,
        notAfter,
        renewAt(notBefore, notAfter, CA_POLICY),
        now,
        warnings,
      ),
    );
  }

  return items
    .filter(
      (i) =>
        within === undefined ||
        i.state !== 'ok' ||
        i.daysUntilRenewal <= within ||
        i.edge?.flag === 'still-presented' ||
        (i.kind === 'ca' && crlFreshness(byId.get(i.id)?.crl ?? null, now).warning !== ''),
    )
    .sort((a, b) => URGENCY[a.state] - URGENCY[b.state] || a.renewAt.localeCompare(b.renewAt) || a.name.localeCompare(b.name));
}

/**
 * The due banner's answer (schedule:due): what summarizeDue(buildSchedule(ctx, { withinDays: 0 }, evidence))
 * answers, without building an item. It runs on every page change, so on a 100,000-certificate inventory
 * it reads the dates of the leaves that can be due from one index (CertificateRepository.dueCandidates)
 * and decides each state as the schedule does; warnings, names and bindings are never read for it.
 */
export function dueSummary(ctx: CoreContext, evidence = false): DueSummary {
  return summarizeDue(dueStates(ctx, evidence));
}

/**
 * How long the service may answer a due check with its last answer while nothing was written
 * (CertdeskService.dueStates): a renewal time that passes meanwhile shows within this long.
 */
export const DUE_REUSE_MS = 30_000;

/** The state of every item dueSummary counts, and of the schedule's others that are `ok`: decided as buildSchedule does. */
export function dueStates(ctx: CoreContext, evidence = false): Array<Pick<ScheduleItem, 'id' | 'kind' | 'state'>> {
  const now = ctx.clock.now();
  const until = new Date(now.getTime() + DAY);
  const stateOf = (notBefore: string, notAfter: string, policy: RenewalPolicy) => {
    const end = new Date(notAfter);
    return scheduleState(now, renewAt(new Date(notBefore), end, policy), end);
  };
  const states: Array<Pick<ScheduleItem, 'id' | 'kind' | 'state'>> = [];
  const profiles = PROFILES.map((p) => p.name);
  for (const leaf of ctx.certificates.dueCandidates(until, leafRenewalPolicy, profiles))
    states.push({ kind: 'leaf', id: leaf.id, state: stateOf(leaf.notBefore, leaf.notAfter, leafRenewalPolicy(leaf.profile)) });
  if (evidence)
    for (const { leaf } of retiredStillPresented(ctx, edgeSightings(ctx), now))
      states.push({ kind: 'leaf', id: leaf.id, state: stateOf(leaf.notBefore, leaf.notAfter, leafRenewalPolicy(leaf.profile)) });
  for (const ca of ctx.authorities.list()) states.push({ kind: 'ca', id: ca.id, state: stateOf(ca.notBefore, ca.notAfter, CA_POLICY) });
  return states;
}

/** The certificates out of service (superseded, revoked, or expired with a successor) that the edge still sees. */
function* retiredStillPresented(
  ctx: CoreContext,
  seen: Map<string, Sighting>,
  now: Date,
  only?: string,
): Generator<{ sighting: Sighting; leaf: CertificateRow }> {
  for (const sighting of seen.values()) {
    if (sighting.stillPresentedSince === null || (only !== undefined && sighting.certificateId !== only)) continue;
    const leaf = ctx.certificates.get(sighting.certificateId, now);
    if (!leaf || leaf.status === 'active' || (leaf.status === 'expired' && !leaf.replacedById)) continue;
    yield { sighting, leaf };
  }
}

/** What every leaf item is built from. */
interface LeafContext {
  now: Date;
  byId: Map<string, Authority>;
  credentials: Map<string, ScheduleCredential[]>;
}

type Authority = ReturnType<CoreContext['authorities']['list']>[number];

/**
 * One leaf's item: its renewal under its profile, where it is live at Auth0, and what the edge saw
 * (`edge` may add a warning). `cautions`: the warnings about what renewing it will run into, which
 * only a certificate still in service needs (a retired one is listed for the edge's sake alone).
 */
function leafItem(
  c: LeafContext,
  leaf: CertificateRow,
  cautions: boolean,
  edge: (warnings: string[]) => ScheduleItem['edge'],
): ScheduleItem {
  const profile = PROFILES.find((p) => p.name === leaf.profile);
  const notBefore = new Date(leaf.notBefore);
  const notAfter = new Date(leaf.notAfter);
  const renewal = renewAt(notBefore, notAfter, leafRenewalPolicy(leaf.profile));
  const issuer = leaf.authorityId ? c.byId.get(leaf.authorityId) : undefined;
  const bound = c.credentials.get(leaf.id) ?? [];
  const warnings: string[] = [];
  if (cautions) {
    if (issuer && new Date(issuer.notAfter) < notAfter)
      warnings.push(`The issuing CA "${issuer.name}" expires on ${issuer.notAfter.slice(0, 10)}, before this certificate.`);
    if (issuer && profile && daysBetween(renewal, new Date(issuer.notAfter)) < profile.defaultDays) {
      warnings.push(
        `When it is renewed, "${issuer.name}" has less than ${profile.defaultDays} days left: renew the CA first or the successor will be short-lived.`,
      );
    }
    if (leaf.keyStorage === 'imported') warnings.push('Imported for tracking: renew it at the CA that issued it.');
    for (const b of bound) {
      if (b.expiresAt && Date.parse(b.expiresAt) < notAfter.getTime())
        warnings.push(
          `The Auth0 credential on ${b.clientId} ("${b.tenantName}") expires on ${b.expiresAt.slice(0, 10)}, before the certificate.`,
        );
    }
  }
  const edgeView = edge(warnings);
  const base = item(
    'leaf',
    leaf.id,
    leaf.commonName ?? leaf.subject,
    issuer?.name ?? leaf.issuer,
    leaf.profile,
    notBefore,
    notAfter,
    renewal,
    c.now,
    warnings,
  );
  return { ...base, credentials: bound, trackingOnly: leaf.keyStorage === 'imported', edge: edgeView };
}

function item(
  kind: ScheduleItem['kind'],
  id: string,
  name: string,
  issuerName: string,
  profile: string | null,
  notBefore: Date,
  notAfter: Date,
  renewal: Date,
  now: Date,
  warnings: string[],
): ScheduleItem {
  return {
    kind,
    id,
    name,
    issuerName,
    profile,
    notBefore: notBefore.toISOString(),
    notAfter: notAfter.toISOString(),
    renewAt: renewal.toISOString(),
    state: scheduleState(now, renewal, notAfter),
    daysUntilRenewal: daysBetween(now, renewal),
    daysUntilExpiry: daysBetween(now, notAfter),
    warnings,
    credentials: [],
    edge: null,
    trackingOnly: false,
  };
}

/** A certificate the edge has seen: when last, and since when it is presented though superseded or revoked. */
interface Sighting {
  certificateId: string;
  lastSeen: string;
  stillPresentedSince: string | null;
}

/** Every certificate the edge has seen, with the time after which it should not have been (revocation, else its successor's issue). */
function edgeSightings(ctx: CoreContext): Map<string, Sighting> {
  const rows = ctx.db
    .prepare(
      `SELECT u.certificate_id, u.last_seen,
         coalesce(c.revoked_at, (SELECT min(s.created_at) FROM certificates s WHERE s.replaces_id = c.id)) AS retired_at
       FROM edge_usage u JOIN certificates c ON c.id = u.certificate_id`,
    )
    .all() as { certificate_id: string; last_seen: string; retired_at: string | null }[];
  return new Map(
    rows.map((r) => [
      r.certificate_id,
      {
        certificateId: r.certificate_id,
        lastSeen: r.last_seen,
        stillPresentedSince: r.retired_at !== null && presentedAfter(r.last_seen, r.retired_at) ? r.retired_at : null,
      },
    ]),
  );
}

/**
 * nginx's $time_iso8601 has whole seconds: a request in the second the certificate was retired may be
 * just after it, and is taken as after (the flag asks the operator to look, it never retires anything).
 */
function presentedAfter(lastSeen: string, retiredAt: string): boolean {
  const retired = Date.parse(retiredAt);
  return Date.parse(lastSeen) >= retired - (retired % 1000);
}

function leafEvidence(
  s: Sighting | undefined,
  warnings: string[],
  status: 'active' | 'expired' | 'revoked' | 'superseded',
): ScheduleItem['edge'] {
  if (!s) {
    if (status !== 'active') return { lastSeen: null, flag: null };
    warnings.push('Never seen at the edge: perhaps unused.');
    return { lastSeen: null, flag: 'never-seen' };
  }
  if ((status === 'revoked' || status === 'superseded') && s.stillPresentedSince !== null) {
    const retired = status;
    warnings.push(
      `Still presented at the edge though ${retired} on ${s.stillPresentedSince.slice(0, 16).replace('T', ' ')}: last seen ${s.lastSeen.slice(0, 16).replace('T', ' ')}. The workload has not switched.`,
    );
    return { lastSeen: s.lastSeen, flag: 'still-presented' };
  }
  return { lastSeen: s.lastSeen, flag: null };
}

/** Active bindings by certificate: where each certificate is live at Auth0, and until when. */
function boundCredentials(ctx: CoreContext): Map<string, ScheduleCredential[]> {
  const rows = ctx.db
    .prepare(
      "SELECT b.certificate_id, b.client_id, b.credential_id, b.credential_expires_at, t.name AS tenant_name FROM bindings b JOIN tenants t ON t.id = b.tenant_id WHERE b.state = 'active' ORDER BY t.name, b.client_id",
    )
    .all() as {
    certificate_id: string;
    client_id: string;
    credential_id: string | null;
    credential_expires_at: string | null;
    tenant_name: string;
  }[];
  const map = new Map<string, ScheduleCredential[]>();
  for (const r of rows)
    map.set(r.certificate_id, [
      ...(map.get(r.certificate_id) ?? []),
      { tenantName: r.tenant_name, clientId: r.client_id, credentialId: r.credential_id, expiresAt: r.credential_expires_at },
    ]);
  return map;
}
