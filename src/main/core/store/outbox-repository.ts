import type { Database, Statement } from 'better-sqlite3';
import type { OutboxItem, OutboxState } from '../../../shared/contract/index.ts';

interface Row {
  id: string;
  seq: number;
  tenant_id: string;
  tenant_name: string;
  binding_id: string;
  kind: string;
  summary: string;
  state: string;
  attempts: number;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

function toItem(r: Row): OutboxItem {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    tenantName: r.tenant_name,
    bindingId: r.binding_id,
    kind: r.kind as OutboxItem['kind'],
    summary: r.summary,
    state: r.state as OutboxState,
    attempts: r.attempts,
    lastError: r.last_error,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

const SELECT = 'SELECT o.*, t.name AS tenant_name FROM outbox o JOIN tenants t ON t.id = o.tenant_id';

/** The outbox: changes for Auth0 recorded locally, in the order they were asked for. */
export class OutboxRepository {
  private readonly insertStmt: Statement<[string, string, string, string, string, string, string]>;
  private readonly openStmt: Statement<[string], Row>;
  private readonly listStmt: Statement<[], Row>;
  private readonly listTenantStmt: Statement<[string], Row>;
  private readonly bindingStmt: Statement<[string], Row>;
  private readonly attemptStmt: Statement<[string, string | null, string, string]>;
  private readonly finishStmt: Statement<[string, string]>;
  private readonly attemptOneStmt: Statement<[string, string | null, string, string]>;
  private readonly finishOneStmt: Statement<[string, string]>;

  constructor(db: Database) {
    this.insertStmt = db.prepare(
      "INSERT INTO outbox (id, seq, tenant_id, binding_id, kind, summary, state, created_at, updated_at) VALUES (?, (SELECT coalesce(max(seq), 0) + 1 FROM outbox), ?, ?, ?, ?, 'pending', ?, ?)",
    );
    this.openStmt = db.prepare(`${SELECT} WHERE o.tenant_id = ? AND o.state <> 'done' ORDER BY o.seq`);
    this.listStmt = db.prepare(`${SELECT} ORDER BY o.state = 'done', o.seq DESC LIMIT 500`);
    this.listTenantStmt = db.prepare(`${SELECT} WHERE o.tenant_id = ? ORDER BY o.state = 'done', o.seq DESC LIMIT 500`);
    this.bindingStmt = db.prepare(`${SELECT} WHERE o.binding_id = ? ORDER BY o.seq DESC LIMIT 100`);
    this.attemptStmt = db.prepare(
      "UPDATE outbox SET attempts = attempts + 1, state = ?, last_error = ?, updated_at = ? WHERE tenant_id = ? AND state <> 'done'",
    );
    this.attemptOneStmt = db.prepare('UPDATE outbox SET attempts = attempts + 1, state = ?, last_error = ?, updated_at = ? WHERE id = ?');
    this.finishOneStmt = db.prepare(
      "UPDATE outbox SET attempts = attempts + 1, state = 'done', last_error = NULL, updated_at = ? WHERE id = ?",
    );
    this.finishStmt = db.prepare(
      "UPDATE outbox SET attempts = attempts + 1, state = 'done', last_error = NULL, updated_at = ? WHERE tenant_id = ? AND state <> 'done'",
    );
  }

  add(item: { id: string; tenantId: string; bindingId: string; kind: OutboxItem['kind']; summary: string; at: string }): void {
    this.insertStmt.run(item.id, item.tenantId, item.bindingId, item.kind, item.summary, item.at, item.at);
  }

  /** Pending and blocked items of one tenant, oldest first. */
  open(tenantId: string): OutboxItem[] {
    return this.openStmt.all(tenantId).map(toItem);
  }

  /** Open items first, then the most recent done ones. */
  list(tenantId?: string): OutboxItem[] {
    return (tenantId === undefined ? this.listStmt.all() : this.listTenantStmt.all(tenantId)).map(toItem);
  }

  /** The same, for a few bindings only (a scoped apply's own), read through their index. */
  forBindings(bindingIds: readonly string[]): OutboxItem[] {
    const rows = [...new Set(bindingIds)].flatMap((id) => this.bindingStmt.all(id));
    return rows.sort((a, b) => Number(a.state === 'done') - Number(b.state === 'done') || b.seq - a.seq).map(toItem);
  }

  /** An apply that did not finish: the open items stay, with the reason (only those of `bindingIds` when given). */
  recordFailure(tenantId: string, state: Exclude<OutboxState, 'done'>, error: string, at: string, bindingIds?: readonly string[]): void {
    if (!bindingIds) return void this.attemptStmt.run(state, error, at, tenantId);
    const ids = new Set(bindingIds);
    for (const item of this.open(tenantId).filter((o) => ids.has(o.bindingId))) this.attemptOneStmt.run(state, error, at, item.id);
  }

  /** An apply that reconciled these bindings (all of the tenant's when not given): their open items are done. */
  finish(tenantId: string, at: string, bindingIds?: readonly string[]): void {
    if (!bindingIds) return void this.finishStmt.run(at, tenantId);
    const ids = new Set(bindingIds);
    for (const item of this.open(tenantId).filter((o) => ids.has(o.bindingId))) this.finishOneStmt.run(at, item.id);
  }
}
