/** The seven journaled steps of a rotation, in order. */
export const ROTATION_STEPS = [
  'issue-successor',
  'publish-edge',
  'add-credential',
  'bind-both',
  'verify',
  'remove-old',
  'supersede',
] as const;

export type RotationStepName = (typeof ROTATION_STEPS)[number];

export type RotationState = 'running' | 'waiting' | 'done' | 'failed' | 'cancelled';

export interface RotationJournalEntry {
  step: number;
  name: RotationStepName;
  phase: 'begin' | 'end' | 'skip' | 'fail' | 'wait';
  at: string;
  detail: string;
}

export interface RotationJobView {
  id: string;
  batchId: string | null;
  certificateId: string;
  subject: string;
  successorId: string | null;
  state: RotationState;
  /** The last completed step (0 = none yet, 7 = all). */
  step: number;
  overlapSeconds: number;
  /** When the old credential may be removed (set once the new one is verified). */
  overlapUntil: string | null;
  verify: boolean;
  sameKey: boolean;
  message: string | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
  journal: RotationJournalEntry[];
}

export interface RotateInput {
  cert: string;
  /** Keep the key (re-certify); the default issues the successor with a new key. */
  sameKey?: boolean;
  /** How long both credentials stay bound before the old one is removed (seconds; default 86400). */
  overlapSeconds?: number;
  /** Verify with a real token call before removing the old credential (default true). */
  verify?: boolean;
  /** When a binding is on a production tenant: that tenant's name, typed again. */
  confirm?: string;
}

export interface BulkRotateInput {
  /** Rotate what is due (or overdue) within this many days; default: what is due now. */
  withinDays?: number;
  /** Jobs at a time (default 4, at most 16). */
  concurrency?: number;
  overlapSeconds?: number;
  verify?: boolean;
  /** The names of the production tenants involved, typed again, comma-separated. */
  confirm?: string;
}

export interface BulkRotationSummary {
  batchId: string;
  total: number;
  done: number;
  waiting: number;
  failed: number;
  cancelled: number;
  jobs: RotationJobView[];
  /** Due certificates that could not start a rotation (CSR-mode key, imported…), with the reason. */
  skipped: { certificateId: string; subject: string; reason: string }[];
}
