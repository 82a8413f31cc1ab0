import type { Database, Statement } from 'better-sqlite3';

/**
 * One prepared statement per database and SQL text, kept for the life of the connection. Preparing
 * costs more than running most of certdesk's queries, and some run on every Management API call
 * (the workstation role check) or every rotation step: a bulk rotation prepared the same few
 * statements tens of thousands of times. Only constant SQL texts belong here (the cache never shrinks).
 */
const byDatabase = new WeakMap<Database, Map<string, Statement>>();

export function prepared<P extends unknown[] | object = unknown[], R = unknown>(db: Database, sql: string): Statement<P, R> {
  let statements = byDatabase.get(db);
  if (!statements) byDatabase.set(db, (statements = new Map()));
  let statement = statements.get(sql);
  if (!statement) statements.set(sql, (statement = db.prepare(sql)));
  return statement as Statement<P, R>;
}
