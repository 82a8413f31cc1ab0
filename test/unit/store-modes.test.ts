/** The data folder and the SQLite files hold sealed keys and every tenant: only their owner may read them. */
import { chmodSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/main/core/store/database.ts';
import { tempDir } from '../support/temp.ts';

const mode = (path: string) => statSync(path).mode & 0o777;

describe.runIf(process.platform !== 'win32')('file modes of the store', () => {
  let umask = 0;
  beforeEach(() => {
    umask = process.umask(0o022);
  });
  afterEach(() => {
    process.umask(umask);
  });

  it('creates the data folder 0700 and the database, WAL and shm files 0600 under a permissive umask', () => {
    const dir = join(tempDir(), 'data');
    const file = join(dir, 'certdesk.sqlite3');
    const db = openDatabase(file);
    db.prepare('CREATE TABLE probe (x INTEGER) STRICT').run();
    expect(mode(dir)).toBe(0o700);
    expect([mode(file), mode(`${file}-wal`), mode(`${file}-shm`)]).toEqual([0o600, 0o600, 0o600]);
    db.close();
  });

  it('tightens a store that an older version left readable by others', () => {
    const dir = join(tempDir(), 'data');
    const file = join(dir, 'certdesk.sqlite3');
    openDatabase(file).close();
    chmodSync(dir, 0o755);
    chmodSync(file, 0o644);
    writeFileSync(`${file}-wal`, '');
    chmodSync(`${file}-wal`, 0o666);
    const db = openDatabase(file);
    expect(mode(dir)).toBe(0o700);
    expect(mode(file)).toBe(0o600);
    expect(mode(`${file}-wal`)).toBe(0o600);
    db.close();
  });
});
