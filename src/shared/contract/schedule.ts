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
}
