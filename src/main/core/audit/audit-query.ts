import type { Database } from 'better-sqlite3';
import type { AuditFilter, AuditRow, AuditSubject, AuditSubjectKind } from '../../../shared/contract/index.ts';
import { CertdeskError } from '../errors.ts';
import type { ChainRow } from './audit-chain.ts';

/** An action or a family of them: lower-case words joined by dots or dashes. */
const KIND = /^[a-z0-9][a-z0-9.-]{0,63}$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z$/;
const DAY_MS = 86_400_000;

/** An audit row as stored, with the names its subject id resolves to. */
interface Row extends Omit<ChainRow, 'prev_hash' | 'mac'> {
  ca_name: string | null;
  cert_cn: string | null;
  cert_serial: string | null;
  tenant_name: string | null;
  binding_client: string | null;
  binding_tenant: string | null;
  binding_cert: string | null;
}

/**
 * Each subject id is looked up in every table that hands out ids: ids are random, so at most one
 * matches. A binding also names its tenant and certificate, so its row can open the certificate.
 */
const FROM = `FROM audit_log a
  LEFT JOIN authorities ca ON ca.id = a.subject_id
  LEFT JOIN certificates c ON c.id = a.subject_id
  LEFT JOIN tenants t ON t.id = a.subject_id
  LEFT JOIN bindings b ON b.id = a.subject_id
  LEFT JOIN tenants bt ON bt.id = b.tenant_id`;

const COLUMNS = `a.seq, a.at, a.actor, a.action, a.subject_id, a.details, a.hash,
  ca.name AS ca_name, c.common_name AS cert_cn, c.serial_hex AS cert_serial, t.name AS tenant_name,
  b.client_id AS binding_client, bt.name AS binding_tenant, b.certificate_id AS binding_cert`;

/** What the subject filter searches: the id, the resolved names, and the names the entry itself recorded (for removed subjects). */
const HAYSTACK = `lower(coalesce(a.subject_id, '') || ' ' || coalesce(ca.name, '') || ' ' || coalesce(c.common_name, '') || ' ' ||
  coalesce(c.serial_hex, '') || ' ' || coalesce(t.name, '') || ' ' || coalesce(b.client_id, '') || ' ' || coalesce(bt.name, '') || ' ' ||
  coalesce(json_extract(a.details, '$.name'), '') || ' ' || coalesce(json_extract(a.details, '$.cn'), '') || ' ' ||
  coalesce(json_extract(a.details, '$.ca'), '') || ' ' || coalesce(json_extract(a.details, '$.serial'), ''))`;

export interface CompiledFilter {
  where: string;
  params: unknown[];
}

/** Checks a filter and turns it into a WHERE clause with parameters: nothing the caller typed reaches the SQL text. */
export function compileAuditFilter(filter: AuditFilter): CompiledFilter {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const kinds = [...new Set(filter.kinds ?? [])];
  if (kinds.length > 0) {
    for (const kind of kinds)
      if (!KIND.test(kind))
        throw new CertdeskError('VALIDATION', `kinds: "${kind}" is not an audit action such as cert.issue, or a family such as cert.`, {
          field: 'kinds',
        });
    clauses.push(`(${kinds.map(() => '(a.action = ? OR substr(a.action, 1, ?) = ?)').join(' OR ')})`);
    for (const kind of kinds) params.push(kind, kind.length + 1, `${kind}.`);
  }
  const subject = filter.subject?.trim().toLowerCase();
  if (subject) {
    // Serials are shown with colons; stored without.
    const bare = subject.replace(/:/g, '');
    clauses.push(`(instr(${HAYSTACK}, ?) > 0 OR instr(${HAYSTACK}, ?) > 0)`);
    params.push(subject, bare);
  }
  const since = filter.since ? boundary(filter.since, 'since') : null;
  const until = filter.until ? boundary(filter.until, 'until') : null;
  if (since && until && since >= until)
    throw new CertdeskError('VALIDATION', `since (${filter.since}) is not before until (${filter.until}); swap them or widen the range.`, {
      field: 'until',
    });
  if (since) {
    clauses.push('a.at >= ?');
    params.push(since);
  }
  if (until) {
    clauses.push('a.at < ?');
    params.push(until);
  }
  return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

/** A UTC date or instant as the ISO text `at` is stored in; a bare `until` date includes that whole day. */
function boundary(text: string, field: 'since' | 'until'): string {
  const value = text.trim();
  const dateOnly = DATE_ONLY.test(value);
  if (!dateOnly && !INSTANT.test(value))
    throw new CertdeskError('VALIDATION', `${field} must be a UTC date such as 2026-12-05, or an instant such as 2026-12-05T14:00:00Z.`, {
      field,
    });
  const ms = Date.parse(dateOnly ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value.slice(0, 10))
    throw new CertdeskError('VALIDATION', `${field}: ${value} is not a date in the calendar.`, { field });
  return new Date(dateOnly && field === 'until' ? ms + DAY_MS : ms).toISOString();
}

/** The audit log read for people: filtered, newest first, subjects resolved, one page or one pass at a time. */
export class AuditQuery {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  page(filter: AuditFilter, offset = 0, limit = 100): { total: number; items: AuditRow[] } {
    const { where, params } = compileAuditFilter(filter);
    const total = (this.db.prepare(`SELECT count(*) AS n ${FROM} ${where}`).get(...params) as { n: number }).n;
    const rows = this.db.prepare(`SELECT ${COLUMNS} ${FROM} ${where} ORDER BY a.seq DESC LIMIT ? OFFSET ?`).all(...params, limit, offset);
    return { total, items: (rows as Row[]).map(toAuditRow) };
  }

  /** Every matching row, newest first, read as it is consumed: an export never holds the log's rows at once. */
  *each(filter: AuditFilter): Generator<AuditRow> {
    const { where, params } = compileAuditFilter(filter);
    const statement = this.db.prepare(`SELECT ${COLUMNS} ${FROM} ${where} ORDER BY a.seq DESC`);
    for (const row of statement.iterate(...params)) yield toAuditRow(row as Row);
  }

  count(filter: AuditFilter): number {
    const { where, params } = compileAuditFilter(filter);
    return (this.db.prepare(`SELECT count(*) AS n ${FROM} ${where}`).get(...params) as { n: number }).n;
  }

  kinds(): string[] {
    return (this.db.prepare('SELECT DISTINCT action FROM audit_log ORDER BY action').all() as Array<{ action: string }>).map(
      (r) => r.action,
    );
  }
}

function toAuditRow(row: Row): AuditRow {
  const details = JSON.parse(row.details) as Record<string, unknown>;
  return {
    seq: row.seq,
    at: row.at,
    actor: row.actor,
    action: row.action,
    subjectId: row.subject_id,
    details,
    hash: row.hash,
    subject: row.subject_id === null ? null : subjectOf(row, row.subject_id, details),
  };
}

function subjectOf(row: Row, id: string, details: Record<string, unknown>): AuditSubject {
  const of = (kind: AuditSubjectKind, label: string, links: Partial<AuditSubject> = {}): AuditSubject => ({ id, kind, label, ...links });
  if (row.ca_name !== null) return of('ca', row.ca_name, { caId: id });
  if (row.cert_serial !== null)
    return of('certificate', `${row.cert_cn ?? '(no CN)'} · ${shortSerial(row.cert_serial)}`, { certificateId: id });
  if (row.tenant_name !== null) return of('tenant', row.tenant_name);
  if (row.binding_client !== null)
    return of('binding', `${row.binding_client} on ${row.binding_tenant ?? 'a removed tenant'}`, {
      ...(row.binding_cert ? { certificateId: row.binding_cert } : {}),
    });
  // Removed since (a tenant), or not a stored object (a transfer, a batch): the entry's own words name it.
  const recorded = [details.name, details.cn, details.ca].find((v): v is string => typeof v === 'string' && v.length > 0);
  return { id, kind: null, label: recorded ?? id };
}

/** The first and last bytes of a serial, as people compare them. */
export function shortSerial(hex: string): string {
  const pairs = hex.toUpperCase().match(/../g) ?? [hex];
  return pairs.length <= 6 ? pairs.join(':') : `${pairs.slice(0, 3).join(':')}…${pairs.slice(-2).join(':')}`;
}
