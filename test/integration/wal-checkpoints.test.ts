import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import type { CheckpointNote } from '../../src/main/core/store/checkpoint-worker.ts';
import { DATABASE_FILE } from '../../src/main/core/paths.ts';
import { BACKSTOP_AUTOCHECKPOINT_PAGES, SQLITE_AUTOCHECKPOINT_PAGES } from '../../src/main/core/store/wal-checkpoints.ts';
import { openTestService } from '../support/service.ts';
import { tempDir } from '../support/temp.ts';

const autocheckpoint = (db: BetterSqlite3.Database) => db.pragma('wal_autocheckpoint', { simple: true });

async function issueOne(t: ReturnType<typeof openTestService>, cn: string) {
  if (!t.service.listAuthorities().length) {
    await t.service.createAuthority({ name: 'WAL Root' });
    await t.service.createAuthority({ name: 'WAL Issuing', parent: 'WAL Root' });
  }
  return t.service.issue({ ca: 'WAL Issuing', subject: { commonName: cn }, source: { kind: 'generated', keyType: 'ec-p256' } });
}

describe('WAL checkpoints on a worker thread', () => {
  it("copies each commit into the database file while the service stays open, SQLite's own checkpoint pushed back to a backstop", async () => {
    const notes: CheckpointNote[] = [];
    const t = openTestService({ walCheckpoints: { onNote: (note) => notes.push(note), busyMs: 20, idleMs: 40 } });
    const file = join(t.dataDir, DATABASE_FILE);
    expect(autocheckpoint(t.service.db)).toBe(BACKSTOP_AUTOCHECKPOINT_PAGES);
    const cert = await issueOne(t, 'wal-worker');
    const before = notes.length;
    // A round after the issuance's commit, that copied every frame the WAL holds.
    await vi.waitFor(
      () => expect(notes.slice(before).some((n) => n.kind === 'checkpointed' && n.walFrames > 0 && n.copied === n.walFrames)).toBe(true),
      { timeout: 10_000, interval: 20 },
    );
    expect(notes.filter((n) => n.kind === 'failed')).toEqual([]);
    // The database file alone, without its WAL, already holds the certificate: the worker wrote it there.
    const copy = join(tempDir(), 'copy.sqlite3');
    copyFileSync(file, copy);
    const alone = new BetterSqlite3(copy, { readonly: true });
    try {
      expect(alone.prepare('SELECT id FROM certificates WHERE id = ?').get(cert.id)).toEqual({ id: cert.id });
    } finally {
      alone.close();
    }
    // Stopping ends the thread and closes its connection: with the service's closed too, SQLite removes the WAL.
    t.service.close();
    await t.service.walCheckpoints!.stop();
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it("hands checkpoints back to SQLite's own when the worker cannot open the store", async () => {
    const notes: CheckpointNote[] = [];
    const t = openTestService({
      walCheckpoints: {
        onNote: (note) => notes.push(note),
        // The worker is pointed at a file that does not exist: it cannot open it, and says so.
        startWorker: (path, data) => new Worker(path, { workerData: { ...data, file: join(tempDir(), 'missing.sqlite3') } }),
      },
    });
    await vi.waitFor(() => expect(notes.map((n) => n.kind)).toContain('failed'), { timeout: 10_000, interval: 20 });
    expect(autocheckpoint(t.service.db)).toBe(SQLITE_AUTOCHECKPOINT_PAGES);
    // Commits go on as before, checkpointed by SQLite in the commit.
    await issueOne(t, 'wal-fallback');
    expect(t.service.listCertificates({}).total).toBe(1);
  });

  it('is off for a CLI command, whose connection checkpoints as it closes', () => {
    const t = openTestService();
    expect(t.service.walCheckpoints).toBeNull();
    expect(autocheckpoint(t.service.db)).toBe(SQLITE_AUTOCHECKPOINT_PAGES);
  });
});
