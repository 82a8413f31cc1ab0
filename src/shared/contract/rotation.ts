/**
 * The eight journaled steps of a rotation, in order. `deliver` was added as step 2 after the
 * first release: migration 0240 renumbered the stored steps of older jobs (2..7 became 3..8).
 */
export const ROTATION_STEPS = [
  'issue-successor',
  'deliver',
  'publish-edge',
  'add-credential',
  'bind-both',
  'verify',
  'remove-old',
  'supersede',
] as const;

export type RotationStepName = (typeof ROTATION_STEPS)[number];

/**
 * The journal, the job row and the events carry a step as its 1-based number (stored, so fixed);
 * code names it instead, so a reorder of ROTATION_STEPS is one deliberate change, pinned by a test.
 */
export function rotationStep(name: RotationStepName): number {
  return ROTATION_STEPS.indexOf(name) + 1;
}

/** The name of the step with this 1-based number. */
export function rotationStepName(step: number): RotationStepName {
  const name = ROTATION_STEPS[step - 1];
  if (name === undefined) throw new RangeError(`There is no rotation step ${step}.`);
  return name;
}

/** How many steps a rotation has: a job whose `step` is this has done them all. */
export const ROTATION_STEP_COUNT = ROTATION_STEPS.length;

/** Whether `step` is the last one (its end is the rotation done). */
export function isLastStep(step: number): boolean {
  return step === ROTATION_STEP_COUNT;
}

/** Whether a job has come through verification: only the overlap (and removing the old credential) is left. */
export function isPastVerification(job: { step: number }): boolean {
  return job.step >= rotationStep('verify');
}

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
  /** The last completed step (0 = none yet, ROTATION_STEP_COUNT = all). */
  step: number;
  overlapSeconds: number;
  /**
   * When the old credential may be removed (set once the new one is verified). With an edge evidence
   * source it is a deadline: the evidence may retire the old credential sooner, and past it the job
   * waits for the operator (force the cut-off or extend) rather than cutting off blindly.
   */
  overlapUntil: string | null;
  /** How long the old certificate must go unseen at the edge before its credential is removed (seconds). */
  quietSeconds: number;
  /** What retires the old credential: the edge's evidence of use, or (no evidence source) the overlap timer. */
  retireOn: 'evidence' | 'overlap';
  /** The overlap deadline passed without the evidence: the job waits for a forced cut-off or an extension. */
  awaitingOperator: boolean;
  /** The operator forced the cut-off: the old credential goes without the evidence. */
  forceCutoff: boolean;
  /** The tenants where the old certificate is still bound (a forced cut-off there asks for production names typed again). */
  boundTenants: string[];
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
  /**
   * Verify with a real token call before removing the old credential (default true; default false for
   * a CSR-mode certificate rotated through its csr-inbox target, whose key certdesk never holds).
   */
  verify?: boolean;
  /** With an edge evidence source: how long the old certificate must go unseen before its credential goes (seconds; default the profile's). */
  quietSeconds?: number;
  /** When a binding is on a production tenant: that tenant's name, typed again. */
  confirm?: string;
}

/** What a rotation of this certificate would do, for the dialog to say before it starts. */
export interface RotationPreview {
  certificateId: string;
  /** Delivery targets of the certificate: 0 means the operator installs the successor by hand. */
  deliveryTargets: number;
  /** A CSR-mode certificate's inbox folder: the rotation waits there for the workload's new CSR. */
  csrInbox: string | null;
  retireOn: 'evidence' | 'overlap';
  /** The profile's quiet period (seconds), the default of `quietSeconds`. */
  quietSeconds: number;
}

/** Remove the old credential now, without the edge's evidence that the workload has switched. */
export interface ForceCutoffInput {
  job: string;
  /** When the old credential is bound on a production tenant: that tenant's name, typed again. */
  confirm?: string;
}

/** Move the overlap deadline of a job waiting for evidence further out. */
export interface ExtendRotationInput {
  job: string;
  /** Added to the later of the deadline and now. */
  seconds: number;
}

/**
 * The stable beginnings of a rotation's wait details: the notices, the UI and a wait seen again
 * (which is not journaled twice) recognise the reason by them, whatever numbers follow.
 */
export const ROTATION_WAIT = {
  csr: "waiting for the workload's new CSR in",
  evidence: 'waiting for edge evidence that the workload switched',
  oldStillSeen: 'the workload still presents the old certificate',
  successorUnseen: 'the successor has not been seen at the edge yet',
  noEvidence: 'no edge evidence source: the old credential is removed when the overlap ends',
  signer: 'waiting at the offline signer for the answer to request',
} as const;

/** Shown (and journaled) when a rotation delivers to no target: the operator moves the workload. */
export const NO_DELIVERY_TARGET =
  'no delivery target: install the successor on the workload by hand (or add one: certdesk target add CERT --kind folder --path DIR)';

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
