export interface AuditEntry {
  seq: number;
  at: string;
  /** `user@host` of the process that wrote the entry, from the OS. */
  actor: string;
  action: string;
  subjectId: string | null;
  details: Record<string, unknown>;
  hash: string;
}

/** What an entry's subject id names, resolved in the core; `null` kind: nothing certdesk still holds (or no longer holds) under that id. */
export type AuditSubjectKind = 'ca' | 'certificate' | 'tenant' | 'binding';

export interface AuditSubject {
  id: string;
  kind: AuditSubjectKind | null;
  /** For people: the CA's name, the certificate's CN and short serial, the tenant's name, the binding's client and tenant. */
  label: string;
  /** The certificate the row opens (a certificate's own id, or a binding's certificate). */
  certificateId?: string;
  /** The CA the row opens. */
  caId?: string;
}

/** An audit entry with its subject resolved for reading. */
export interface AuditRow extends AuditEntry {
  subject: AuditSubject | null;
}

/**
 * What narrows the audit log, applied in SQL: `kinds` are actions (`cert.issue`) or families
 * (`cert`: every `cert.*`); `subject` is text found in the subject's id or resolved name; `since` and
 * `until` are UTC dates (`2026-12-05`, `until` inclusive) or ISO instants.
 */
export interface AuditFilter {
  kinds?: string[];
  subject?: string;
  since?: string;
  until?: string;
}

export type AuditExportFormat = 'csv' | 'json';

export interface AuditExportResult {
  filename: string;
  rows: number;
  /** Web mode and the CLI: the file's bytes, for a browser download or stdout. */
  contentBase64?: string;
  /** The desktop app: where the operator chose to save it in the save dialog. */
  writtenTo?: string;
}

/**
 * Which check an audit problem failed: `chain` (a gap, a broken link or an altered entry), `mac`
 * (an entry's keyed MAC is absent or wrong), `truncation` (a checkpoint records entries past the
 * end), `rewrite` (the entry a checkpoint recorded is not the one there now), `checkpoint` (one
 * is missing or forged), `key` (the audit key is not in the keychain) or `anchor` (the database names
 * another store than the one this data folder's keychain anchor records).
 */
export type AuditCheck = 'chain' | 'mac' | 'truncation' | 'rewrite' | 'checkpoint' | 'key' | 'anchor';

export type AuditCheckpointState = 'ok' | 'missing' | 'forged' | 'unreadable' | 'truncated' | 'rewritten';

export interface AuditVerifyResult {
  ok: boolean;
  checked: number;
  /** `seq` 0: the log as a whole (a missing checkpoint or key), not one entry. */
  problems: Array<{ seq: number; problem: string; check: AuditCheck }>;
  /** The last entry every check vouches for (0: none). */
  lastGoodSeq: number;
  /** The first entry with a keyed MAC; the ones before it are the legacy, unkeyed segment. Null: no key yet. */
  keyedFrom: number | null;
  checkpoints: Record<'file' | 'keychain', { state: AuditCheckpointState; seq: number | null }>;
}

/** The named error for a failed verify: which check failed first (by severity) and the last good entry. */
export function auditVerifyFailure(result: AuditVerifyResult): { code: AuditFailureCode; message: string } {
  const order: Array<[AuditCheck, AuditFailureCode]> = [
    ['anchor', 'AUDIT_STORE_MISMATCH'],
    ['truncation', 'AUDIT_LOG_TRUNCATED'],
    ['rewrite', 'AUDIT_LOG_REWRITTEN'],
    ['mac', 'AUDIT_LOG_REWRITTEN'],
    ['chain', 'AUDIT_CHAIN_BROKEN'],
    ['key', 'AUDIT_CHECKPOINT_MISSING'],
    ['checkpoint', 'AUDIT_CHECKPOINT_MISSING'],
  ];
  const [check, code] = order.find(([c]) => result.problems.some((p) => p.check === c)) ?? ['chain', 'AUDIT_CHAIN_BROKEN'];
  const detail = result.problems.map((p) => (p.seq > 0 ? `entry ${p.seq} ${p.problem}` : p.problem)).join('; ');
  return {
    code,
    message: `The audit log was tampered with (${check} check failed; last good entry ${result.lastGoodSeq}): ${detail}.`,
  };
}

export type AuditFailureCode =
  'AUDIT_CHAIN_BROKEN' | 'AUDIT_LOG_TRUNCATED' | 'AUDIT_LOG_REWRITTEN' | 'AUDIT_CHECKPOINT_MISSING' | 'AUDIT_STORE_MISMATCH';
