import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/main/core/store/database.ts';
import { LeaseRepository } from '../../src/main/core/store/lease-repository.ts';
import { tempDir } from '../support/temp.ts';

describe('leases in SQLite', () => {
  it('lets one live holder at a time have a key, until it releases it or its lease runs out', () => {
    const db = openDatabase(join(tempDir(), 'a.sqlite3'));
    // Two holders on this machine whose processes are alive (this one).
    const a = new LeaseRepository(db, `${process.pid}-a`);
    const b = new LeaseRepository(db, `${process.pid}-b`);
    expect(a.tryAcquire('rotation:1', 1000, 0)).toBe(true);
    expect(a.tryAcquire('rotation:1', 1000, 10)).toBe(true);
    expect(b.tryAcquire('rotation:1', 1000, 20)).toBe(false);
    expect(b.heldByOther('rotation:1', 20)).toBe(true);
    expect(b.tryAcquire('rotation:2', 1000, 20)).toBe(true);
    expect(b.tryAcquire('rotation:1', 1000, 1011)).toBe(true);
    a.release('rotation:1');
    expect(a.tryAcquire('rotation:1', 1000, 1020)).toBe(false);
    b.release('rotation:1');
    expect(a.tryAcquire('rotation:1', 1000, 1030)).toBe(true);
    db.close();
  });

  it('frees a lease whose holder process is gone (killed, crashed)', () => {
    const db = openDatabase(join(tempDir(), 'a.sqlite3'));
    const dead = new LeaseRepository(db, '2147483646-gone');
    const alive = new LeaseRepository(db, `${process.pid}-alive`);
    expect(dead.tryAcquire('apply:t', 60_000, 0)).toBe(true);
    expect(alive.heldByOther('apply:t', 1)).toBe(false);
    expect(alive.tryAcquire('apply:t', 60_000, 1)).toBe(true);
    db.close();
  });
});
