import type { SignPurpose, ToSignerItem } from '../../../shared/contract/index.ts';
import type { Database, Statement } from '../store/database.ts';

export type OutgoingState = 'queued' | 'answered' | 'refused';

/** What a publisher asked its signer for (migration 0280): an answer is accepted only for one of these. */
export interface OutgoingRequest {
  requestId: string;
  kind: ToSignerItem['kind'];
  purpose: SignPurpose | null;
  issuerSha256: string;
  profile: string | null;
  csrPem: string | null;
  /** The key this publisher generated and sealed for the CSR; null when the workload made the CSR (CSR mode). */
  keyId: string | null;
  /** For renew and rotate: the predecessor in this publisher's inventory. */
  predecessorId: string | null;
  rotationJobId: string | null;
  /** For a revoke-request: the serial to revoke. */
  serialHex: string | null;
  state: OutgoingState;
  refusalCode: string | null;
  refusalReason: string | null;
  certificateId: string | null;
  queueId: string | null;
  createdAt: string;
  updatedAt: string;
}

interface Row {
  request_id: string;
  kind: string;
  purpose: string | null;
  issuer_sha256: string;
  profile: string | null;
  csr_pem: string | null;
  key_id: string | null;
  predecessor_id: string | null;
  rotation_job_id: string | null;
  serial_hex: string | null;
  state: string;
  refusal_code: string | null;
  refusal_reason: string | null;
  certificate_id: string | null;
  queue_id: string | null;
  created_at: string;
  updated_at: string;
}

const toRecord = (r: Row): OutgoingRequest => ({
  requestId: r.request_id,
  kind: r.kind as OutgoingRequest['kind'],
  purpose: r.purpose as SignPurpose | null,
  issuerSha256: r.issuer_sha256,
  profile: r.profile,
  csrPem: r.csr_pem,
  keyId: r.key_id,
  predecessorId: r.predecessor_id,
  rotationJobId: r.rotation_job_id,
  serialHex: r.serial_hex,
  state: r.state as OutgoingState,
  refusalCode: r.refusal_code,
  refusalReason: r.refusal_reason,
  certificateId: r.certificate_id,
  queueId: r.queue_id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export class OutgoingRequests {
  private readonly insertStmt: Statement<Record<string, unknown>>;
  private readonly getStmt: Statement<[string], Row>;
  private readonly listStmt: Statement<[], Row>;
  private readonly answerStmt: Statement<[string | null, string, string]>;
  private readonly refuseStmt: Statement<[string, string, string, string]>;
  private readonly queueStmt: Statement<[string, string]>;
  private readonly byJobStmt: Statement<[string], Row>;

  constructor(db: Database) {
    this.insertStmt = db.prepare(`INSERT INTO offline_requests
      (request_id, kind, purpose, issuer_sha256, profile, csr_pem, key_id, predecessor_id, rotation_job_id, serial_hex, state, created_at, updated_at)
      VALUES (@requestId, @kind, @purpose, @issuerSha256, @profile, @csrPem, @keyId, @predecessorId, @rotationJobId, @serialHex, 'queued', @createdAt, @createdAt)`);
    this.getStmt = db.prepare('SELECT * FROM offline_requests WHERE request_id = ?');
    this.listStmt = db.prepare('SELECT * FROM offline_requests ORDER BY created_at, request_id');
    // Only a queued request changes state, once: a replayed answer changes nothing.
    this.answerStmt = db.prepare(
      "UPDATE offline_requests SET state = 'answered', certificate_id = ?, updated_at = ? WHERE request_id = ? AND state = 'queued'",
    );
    this.refuseStmt = db.prepare(
      "UPDATE offline_requests SET state = 'refused', refusal_code = ?, refusal_reason = ?, updated_at = ? WHERE request_id = ? AND state = 'queued'",
    );
    this.queueStmt = db.prepare('UPDATE offline_requests SET queue_id = ? WHERE request_id = ?');
    this.byJobStmt = db.prepare('SELECT * FROM offline_requests WHERE rotation_job_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1');
  }

  insert(r: Omit<OutgoingRequest, 'state' | 'refusalCode' | 'refusalReason' | 'certificateId' | 'queueId' | 'updatedAt'>): void {
    this.insertStmt.run({ ...r });
  }

  get(requestId: string): OutgoingRequest | undefined {
    const row = this.getStmt.get(requestId);
    return row && toRecord(row);
  }

  list(): OutgoingRequest[] {
    return this.listStmt.all().map(toRecord);
  }

  /** The latest request made for a rotation job (a refused one may be followed by another when the job is resumed). */
  latestForRotation(jobId: string): OutgoingRequest | undefined {
    const row = this.byJobStmt.get(jobId);
    return row && toRecord(row);
  }

  markAnswered(requestId: string, certificateId: string | null, at: string): boolean {
    return this.answerStmt.run(certificateId, at, requestId).changes === 1;
  }

  markRefused(requestId: string, code: string, reason: string, at: string): boolean {
    return this.refuseStmt.run(code, reason, at, requestId).changes === 1;
  }

  setQueueId(requestId: string, queueId: string): void {
    this.queueStmt.run(queueId, requestId);
  }
}
