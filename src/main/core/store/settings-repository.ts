import type { Database, Statement } from 'better-sqlite3';
import { prepared } from './prepared.ts';

export class SettingsRepository {
  private readonly getStmt: Statement<[string], { value: string }>;
  private readonly setStmt: Statement<[string, string]>;

  constructor(db: Database) {
    this.getStmt = prepared<[string], { value: string }>(db, 'SELECT value FROM settings WHERE key = ?');
    this.setStmt = prepared<[string, string]>(
      db,
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
  }

  get(key: string): string | undefined {
    return this.getStmt.get(key)?.value;
  }

  set(key: string, value: string): void {
    this.setStmt.run(key, value);
  }
}
