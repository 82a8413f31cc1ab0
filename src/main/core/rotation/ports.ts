/**
 * What a rotation needs from delivery and from the edge's evidence, as ports: the rotation steps
 * depend on these shapes, and `core/delivery` and `core/edge` (usage) implement them.
 */

/** The outcome of delivering a certificate to its targets. */
export type DeliveryOutcome = { kind: 'done' | 'skip'; detail: string } | { kind: 'wait'; detail: string };

export interface DeliveryPort {
  /** How many delivery targets the certificate has (0: the rotation says the operator installs it by hand). */
  targetCount(certificateId: string): number;
  /**
   * Delivers the certificate (and its key, unless its targets keep their own) to each target. Safe to run
   * again: a target whose current release already holds this serial is skipped. Throws a named
   * CertdeskError when a target refuses; nothing already delivered is damaged.
   */
  deliver(certificateId: string): Promise<DeliveryOutcome>;
  /**
   * The csr-inbox target of a CSR-mode certificate (its folder, for the wait the operator sees), or
   * null: without one certdesk cannot rotate a certificate whose key it never held.
   */
  csrInbox(certificateId: string): { targetId: string; dir: string } | null;
  /**
   * For a certificate whose key stays with the workload (a csr-inbox target): the workload's new CSR,
   * once it is there and passed the checks (signature, new key, the predecessor's subject), or null while
   * the inbox is still empty. A refused CSR is moved to `rejected/` with its reason, and null is returned.
   */
  inboxCsr(certificateId: string): Promise<{ csrPem: string; targetId: string } | null>;
  /** Writes the issued certificate back to the csr-inbox target's `issued/` folder. */
  answerInbox(targetId: string, certificateId: string): Promise<void>;
}

/** What the edge saw of one certificate, from its access log. */
export interface CertificateUsage {
  certificateId: string;
  firstSeen: string;
  lastSeen: string;
  requests: number;
  lastStatus: number;
}

export interface EvidencePort {
  /** Whether any edge access log is configured: without one a rotation behaves as before, and says so. */
  configured(): boolean;
  /** Reads what the configured logs gained since the last read. */
  refresh(): Promise<void>;
  usage(certificateId: string): CertificateUsage | null;
  /** Successful token responses (2xx on a token path) the edge saw with this certificate since `since`. */
  tokenSuccessesSince(certificateId: string, since: Date): number;
  /** Requests of any kind the edge saw with this certificate since `since`. */
  requestsSince(certificateId: string, since: Date): number;
}

/** Where a publisher's request for the offline signer stands (core/offline's outgoing request, as a rotation sees it). */
export interface SignerRequest {
  requestId: string;
  state: 'queued' | 'answered' | 'refused';
  /** The certificate the answer added to the inventory (answered). */
  certificateId: string | null;
  refusalCode: string | null;
  refusalReason: string | null;
}

/** Whose key a successor asked of the offline signer is for (see SignerPort.requestSuccessor). */
export type SuccessorKey = { kind: 'new' } | { kind: 'same' } | { kind: 'workload'; csrPem: string };

/**
 * The offline signer, for a rotation on a publisher (issue 12 §5): this folder holds no CA key, so the
 * successor is a request that crosses the gap in a bundle, and its answer comes back the same way.
 */
export interface SignerPort {
  /** Whether this folder's CA keys are with an offline signer (it is a publisher). */
  remote(): boolean;
  /** The latest request this rotation job sent the signer, or null. */
  requestOf(jobId: string): SignerRequest | null;
  /**
   * Queues the request for the successor of `certificateId`, the note naming the job, recorded and
   * queued in one transaction. `key` says whose key the CSR is for: a new key made and sealed here
   * (it never crosses the gap; it waits with the request for the certificate), the predecessor's
   * sealed key kept (same-key), or the workload's new key (CSR mode: its CSR from the csr-inbox).
   */
  requestSuccessor(jobId: string, certificateId: string, key: SuccessorKey): Promise<SignerRequest>;
  /**
   * Called in the transaction that cancels the job: its open request's pending key (made for it and
   * used by no certificate) is destroyed, and the request is taken out of the outbox if no bundle
   * carried it yet (an exported one stays queued: its answer is refused as ROTATION_JOB_CLOSED).
   * Both are audited. What it did, for the journal; empty when there was nothing to undo.
   */
  withdraw(jobId: string): string[];
  /**
   * Queues the old certificate's revocation (reason superseded) for the signer, unless a request for it
   * is already queued or answered: the signer's CRL lists it once its answer is imported.
   */
  requestRetirement(jobId: string, certificateId: string): { requestId: string; queued: boolean };
}
