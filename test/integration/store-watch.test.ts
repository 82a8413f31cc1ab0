/**
 * The host's watch on the store (src/main/host/store-watch.ts), on a real SQLite file with the service's
 * own WAL checkpoints running: another connection's commit is seen, the service's own commits and its
 * checkpoints are not, several commits between two looks are one change, and nothing is seen once stopped.
 */
import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { watchStore } from '../../src/main/host/store-watch.ts';
import { withIssuingCa } from '../support/pki.ts';

const INTERVAL = 20;
/** Long enough for many looks: what has not been seen by then is not going to be. */
const settle = () => new Promise((resolve) => setTimeout(resolve, INTERVAL * 10));

describe('watchStore', () => {
  it("calls back for another connection's commits only, once per look, and not after stop", async () => {
    const t = await withIssuingCa({ walCheckpoints: true });
    let changes = 0;
    const watch = watchStore(t.service.db, () => changes++, INTERVAL);
    onTestFinished(() => watch.stop());

    // The service's own writes (and the checkpoints behind them) are not changes from elsewhere.
    for (let i = 0; i < 3; i++)
      await t.service.issue({ ca: 'Test Issuing', subject: { commonName: `own-${i}` }, source: { kind: 'generated' } });
    await settle();
    expect(changes).toBe(0);

    // Another process's connection, as the CLI's would be.
    const other = new BetterSqlite3(join(t.dataDir, 'certdesk.sqlite3'));
    onTestFinished(() => {
      other.close();
    });
    other.pragma('busy_timeout = 5000');
    const write = other.prepare("INSERT OR REPLACE INTO settings (key, value) VALUES ('store-watch-test', ?)");
    write.run('1');
    await expect.poll(() => changes, { timeout: 5_000 }).toBe(1);

    // Three commits with no turn of the event loop between them, so between two looks: one change.
    write.run('2');
    write.run('3');
    write.run('4');
    await expect.poll(() => changes, { timeout: 5_000 }).toBe(2);
    await settle();
    expect(changes).toBe(2);

    watch.stop();
    write.run('5');
    await settle();
    expect(changes).toBe(2);
  });
});
