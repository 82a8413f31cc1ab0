import type { Database, Statement } from 'better-sqlite3';
import { recordedConsent, type ConsentRecord, type ProductionConsent } from '../auth0/confirm-production.ts';
import { rotationStepName, type RotationJournalEntry, type RotationState } from '../../../shared/contract/index.ts';
import { prepared } from './prepared.ts';

export interface RotationJobRecord {
  id: string;
  batchId: string | null;
  certificateId: string;
  successorId: string | null;
  state: RotationState;
  step: number;
  sameKey: boolean;
  verify: boolean;
  overlapSeconds: number;
  overlapUntil: string | null;
  message: string | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
  /** The production tenants the operator confirmed when the job started. */
  consents: ProductionConsent[];
  quietSeconds: number;
  forceCutoff: boolean;
  /** The csr-inbox target whose CSR the successor was issued from (CSR mode), answered by the deliver step. */
  inboxTargetId: string | null;
}

interface Row {
  id: string;
  batch_id: string | null;
  certificate_id: string;
  successor_id: string | null;
  state: string;
  step: number;
  same_key: number;
  verify: number;
  overlap_seconds: number;
  overlap_until: string | null;
  message: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
  production_consents: string;
  quiet_seconds: number;
  force_cutoff: number;
  inbox_target_id: string | null;
}

function toRecord(r: Row): RotationJobRecord {
  return {
    id: r.id,
    batchId: r.batch_id,
    certificateId: r.certificate_id,
    successorId: r.successor_id,
    state: r.state as RotationState,
    step: r.step,
    sameKey: r.same_key === 1,
    verify: r.verify === 1,
    overlapSeconds: r.overlap_seconds,
    overlapUntil: r.overlap_until,
    message: r.message,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    finishedAt: r.finished_at,
    consents: (JSON.parse(r.production_consents) as ConsentRecord[]).map(recordedConsent),
    quietSeconds: r.quiet_seconds,
    forceCutoff: r.force_cutoff === 1,
    inboxTargetId: r.inbox_target_id,
  };
}

/** Rotation jobs and their journal. Every write is one statement or one transaction. */
export class RotationRepository {
  private readonly db: Database;
  private readonly insertStmt: Statement<[string, string | null, string, number, number, number, number, string, string, string]>;
  private readonly byIdStmt: Statement<[string], Row>;
  private readonly openForCertStmt: Statement<[string], Row>;
  private readonly listStmt: Statement<[number], Row>;
  private readonly openStmt: Statement<[], Row>;
  private readonly batchStmt: Statement<[string], Row>;
  private readonly journalStmt: Statement<[string], { step: number; phase: string; at: string; detail: string }>;
  private readonly appendStmt: Statement<[string, string, number, string, string, string]>;

  constructor(db: Database) {
    this.db = db;
    this.insertStmt = db.prepare(
      "INSERT INTO rotation_jobs (id, batch_id, certificate_id, state, step, same_key, verify, overlap_seconds, quiet_seconds, created_at, updated_at, production_consents) VALUES (?, ?, ?, 'running', 0, ?, ?, ?, ?, ?, ?, ?)",
    );
    this.byIdStmt = db.prepare('SELECT * FROM rotation_jobs WHERE id = ?');
    this.openForCertStmt = db.prepare("SELECT * FROM rotation_jobs WHERE certificate_id = ? AND state IN ('running', 'waiting')");
    this.listStmt = db.prepare("SELECT * FROM rotation_jobs ORDER BY state NOT IN ('running', 'waiting'), created_at DESC LIMIT ?");
    this.openStmt = db.prepare("SELECT * FROM rotation_jobs WHERE state IN ('running', 'waiting') ORDER BY created_at");
    this.batchStmt = db.prepare('SELECT * FROM rotation_jobs WHERE batch_id = ? ORDER BY created_at');
    this.journalStmt = db.prepare('SELECT step, phase, at, detail FROM rotation_journal WHERE job_id = ? ORDER BY seq');
    this.appendStmt = db.prepare(
      'INSERT INTO rotation_journal (job_id, seq, step, phase, at, detail) VALUES (?, (SELECT coalesce(max(seq), 0) + 1 FROM rotation_journal WHERE job_id = ?), ?, ?, ?, ?)',
    );
  }

  insert(job: {
    id: string;
    batchId: string | null;
    certificateId: string;
    sameKey: boolean;
    verify: boolean;
    overlapSeconds: number;
    quietSeconds: number;
    at: string;
    consents: readonly ProductionConsent[];
  }): void {
    this.insertStmt.run(
      job.id,
      job.batchId,
      job.certificateId,
      job.sameKey ? 1 : 0,
      job.verify ? 1 : 0,
      job.overlapSeconds,
      job.quietSeconds,
      job.at,
      job.at,
      JSON.stringify(job.consents.map((c) => c.toRecord())),
    );
  }

  get(id: string): RotationJobRecord | undefined {
    const row = this.byIdStmt.get(id);
    return row && toRecord(row);
  }

  openFor(certificateId: string): RotationJobRecord | undefined {
    const row = this.openForCertStmt.get(certificateId);
    return row && toRecord(row);
  }

  list(limit = 200): RotationJobRecord[] {
    return this.listStmt.all(limit).map(toRecord);
  }

  open(): RotationJobRecord[] {
    return this.openStmt.all().map(toRecord);
  }

  batch(batchId: string): RotationJobRecord[] {
    return this.batchStmt.all(batchId).map(toRecord);
  }

  journal(id: string): RotationJournalEntry[] {
    return this.journalStmt.all(id).map((e) => ({
      step: e.step,
      name: rotationStepName(e.step),
      phase: e.phase as RotationJournalEntry['phase'],
      at: e.at,
      detail: e.detail,
    }));
  }

  append(id: string, step: number, phase: RotationJournalEntry['phase'], at: string, detail: string): void {
    this.appendStmt.run(id, id, step, phase, at, detail);
  }

  /** Updates the named columns of a job (and updated_at). */
  update(
    id: string,
    at: string,
    fields: Partial<
      Pick<
        RotationJobRecord,
        'successorId' | 'state' | 'step' | 'overlapUntil' | 'message' | 'finishedAt' | 'forceCutoff' | 'inboxTargetId'
      >
    >,
  ): void {
    const columns: Record<string, string> = {
      forceCutoff: 'force_cutoff',
      inboxTargetId: 'inbox_target_id',
      successorId: 'successor_id',
      state: 'state',
      step: 'step',
      overlapUntil: 'overlap_until',
      message: 'message',
      finishedAt: 'finished_at',
    };
    const names = Object.keys(fields).filter((k) => k in columns);
    const sets = [...names.map((k) => `${columns[k]} = @${k}`), 'updated_at = @at'].join(', ');
    const values = { ...fields, ...(fields.forceCutoff !== undefined ? { forceCutoff: fields.forceCutoff ? 1 : 0 } : {}) };
    // Few column sets occur (one per step kind), so each prepares once.
    prepared(this.db, `UPDATE rotation_jobs SET ${sets} WHERE id = @id`).run({ ...values, id, at });
  }
}
