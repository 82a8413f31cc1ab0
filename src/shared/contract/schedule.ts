export type ScheduleState = 'ok' | 'due' | 'overdue' | 'expired';

export interface ScheduleItem {
  kind: 'leaf' | 'ca';
  id: string;
  name: string;
  /** The issuing authority's name (for a CA: its parent's, or itself for a root). */
  issuerName: string;
  profile: string | null;
  notBefore: string;
  notAfter: string;
  /** When renewal is due: two thirds of the lifetime, or N days before expiry, whichever comes first. */
  renewAt: string;
  state: ScheduleState;
  daysUntilRenewal: number;
  daysUntilExpiry: number;
  /** Things an operator must know, e.g. a CA that expires before the leaves it signed. */
  warnings: string[];
  /** The Auth0 credentials this certificate is bound as, with the `expires_at` Auth0 reported. */
  credentials: ScheduleCredential[];
  /** What the edge's access log says of a leaf; null for a CA, or when no access log is configured. */
  edge: ScheduleEdgeEvidence | null;
  /** A leaf imported for tracking only: certdesk holds no key and no CA for it, so it cannot rotate it. */
  trackingOnly: boolean;
}

/**
 * `never-seen`: an active certificate the edge has not seen, perhaps unused. `still-presented`: a
 * superseded or revoked certificate seen after that time: a workload that did not switch.
 */
export type ScheduleEdgeFlag = 'never-seen' | 'still-presented';

export interface ScheduleEdgeEvidence {
  lastSeen: string | null;
  flag: ScheduleEdgeFlag | null;
}

export interface ScheduleCredential {
  tenantName: string;
  clientId: string;
  credentialId: string | null;
  expiresAt: string | null;
}

export interface ScheduleQuery {
  /** Only items whose renewal falls within this many days (overdue and expired items always count). */
  withinDays?: number;
  /** Only this leaf's item (by certificate id): a detail panel reads its own, not the whole schedule. */
  certificate?: string;
}

/**
 * What the due banner needs of the schedule (`schedule:due`): how many items need an operator, and a
 * short mark per item, without the items themselves. A 100,000-certificate inventory can have
 * thousands due; the list of them ran to megabytes on every page change.
 */
export interface DueSummary {
  expired: number;
  overdue: number;
  due: number;
  /** How many of the items counted are CAs. */
  cas: number;
  /**
   * One mark per item counted, its id and state hashed together (dueMark). Dismissing the banner keeps
   * the marks it showed; a mark not among them (a new item, or one in a worse state) shows it again.
   */
  marks: string[];
}

/**
 * A short, stable mark of an item in a state: two 32-bit string hashes side by side, in base 36. Not a
 * secret and not a proof: two items sharing a mark only keep a dismissed banner hidden (about one
 * chance in 2^64 per pair).
 */
export function dueMark(id: string, state: ScheduleState): string {
  const text = `${id}\u0000${state}`;
  let a = 0x811c9dc5;
  let b = 0x27d4eb2f;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x85ebca77);
    b ^= b >>> 13;
  }
  const mix = (h: number, m: number) => {
    h = Math.imul(h ^ (h >>> 16), m);
    return (h ^ (h >>> 15)) >>> 0;
  };
  return `${mix(a, 0x7feb352d).toString(36)}.${mix(b, 0x846ca68b).toString(36)}`;
}

/** Whether two due summaries say the same: every count and every mark, in order. */
export function sameDueSummary(a: DueSummary, b: DueSummary): boolean {
  return (
    a.expired === b.expired &&
    a.overdue === b.overdue &&
    a.due === b.due &&
    a.cas === b.cas &&
    a.marks.length === b.marks.length &&
    a.marks.every((mark, i) => mark === b.marks[i])
  );
}

/** The due summary of schedule items: those not `ok` are counted and marked. */
export function summarizeDue(items: readonly Pick<ScheduleItem, 'id' | 'kind' | 'state'>[]): DueSummary {
  const summary: DueSummary = { expired: 0, overdue: 0, due: 0, cas: 0, marks: [] };
  for (const item of items) {
    if (item.state === 'ok') continue;
    summary[item.state] += 1;
    if (item.kind === 'ca') summary.cas += 1;
    summary.marks.push(dueMark(item.id, item.state));
  }
  return summary;
}

/** How many items the summary counts. */
export function dueCount(summary: DueSummary): number {
  return summary.expired + summary.overdue + summary.due;
}
