export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subjectId: string | null;
  details: Record<string, unknown>;
  hash: string;
}

export interface AuditVerifyResult {
  ok: boolean;
  checked: number;
  problems: Array<{ seq: number; problem: string }>;
}
