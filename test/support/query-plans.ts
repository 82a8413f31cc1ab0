import type { Database } from 'better-sqlite3';

/** The SQL of every statement `db` prepares while `run` runs: what SQLite will execute for it. */
export function preparedDuring(db: Database, run: () => unknown): string[] {
  const prepared: string[] = [];
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string) => {
    prepared.push(sql);
    return prepare(sql);
  }) as typeof db.prepare;
  try {
    run();
  } finally {
    db.prepare = prepare;
  }
  return prepared;
}

/** SQLite's plan for `sql` with `params`: one line per step. */
export function queryPlan(db: Database, sql: string, params: Record<string, unknown>): string[] {
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map((row) => row.detail);
}
