import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
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
    // The database file alone, without its WAL, comes to hold the certificate while the service stays
    // open: the worker copied it there (the service's own connection checkpoints only at 4000 pages).
    const copy = join(tempDir(), 'copy.sqlite3');
    const inFileAlone = () => {
      copyFileSync(file, copy);
      const alone = new BetterSqlite3(copy, { readonly: true });
      try {
        return alone.prepare('SELECT id FROM certificates WHERE id = ?').get(cert.id);
      } finally {
        alone.close();
      }
    };
    await vi.waitFor(() => expect(inFileAlone()).toEqual({ id: cert.id }), { timeout: 10_000, interval: 25 });
    // The worker's note of that checkpoint follows it across the thread: it may land a moment after the file shows it.
    await vi.waitFor(() => expect(notes.some((n) => n.kind === 'checkpointed' && n.copied > 0)).toBe(true), {
      timeout: 10_000,
      interval: 20,
    });
    expect(notes.filter((n) => n.kind === 'failed')).toEqual([]);
    // Stopping ends the thread and closes its connection: with the service's closed too, SQLite removes the WAL.
    t.service.close();
    await t.service.walCheckpoints!.stop();
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it('keeps a host that awaits the stop alive until the thread has closed its connection', () => {
    // A host's last await: with nothing else pending, an unreferenced thread would let the process end first.
    const dir = tempDir();
    const script = join(dir, 'host.mjs');
    const service = pathToFileURL(join(import.meta.dirname, '../../src/main/core/service.ts')).href;
    const secrets = pathToFileURL(join(import.meta.dirname, '../../src/main/core/secrets/secret-store.ts')).href;
    writeFileSync(
      script,
      `const { CertdeskService } = await import(${JSON.stringify(service)});
       const { MemorySecretStore } = await import(${JSON.stringify(secrets)});
       const s = CertdeskService.open({ dataDir: ${JSON.stringify(join(dir, 'data'))}, secretStore: new MemorySecretStore(), mode: 'web', walCheckpoints: true });
       s.close();
       await s.walCheckpoints.stop();
       console.log('stopped');`,
    );
    const run = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 30_000 });
    expect(run.stderr).not.toMatch(/unsettled top-level await/);
    expect({ status: run.status, stdout: run.stdout.trim() }).toEqual({ status: 0, stdout: 'stopped' });
    expect(existsSync(join(dir, 'data', `${DATABASE_FILE}-wal`))).toBe(false);
  });

  it.each([
    ['cannot open the store (its file missing)', (dir: string) => join(dir, 'missing.sqlite3')],
    [
      'cannot read it (not a database: SQLite opens lazily, so the first round finds out)',
      (dir: string) => {
        const path = join(dir, 'garbage.sqlite3');
        writeFileSync(path, 'this is not an SQLite database, only text long enough to be read as a header '.repeat(20));
        return path;
      },
    ],
  ])("hands checkpoints back to SQLite's own when the worker %s", async (_case, pointAt) => {
    const notes: CheckpointNote[] = [];
    const exits: Promise<number>[] = [];
    const t = openTestService({
      walCheckpoints: {
        onNote: (note) => notes.push(note),
        busyMs: 20,
        startWorker: (path, data) => {
          const worker = new Worker(path, { workerData: { ...data, file: pointAt(tempDir()) } });
          exits.push(new Promise((resolve) => worker.once('exit', resolve)));
          return worker;
        },
      },
    });
    await vi.waitFor(() => expect(notes.map((n) => n.kind)).toContain('failed'), { timeout: 10_000, interval: 20 });
    // The thread ends on its own, and the service's connection checkpoints as SQLite does by default.
    expect(await exits[0]).toBe(0);
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
