import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it, vi } from 'vitest';
import { CHECKPOINT_EVERY_MS } from '../../src/main/core/audit/audit-log.ts';
import { CheckpointStore } from '../../src/main/core/audit/checkpoints.ts';
import { AUDIT_CHECKPOINT_FILE } from '../../src/main/core/paths.ts';
import { runCertdesk } from '../support/cli.ts';
import { withIssuingCa } from '../support/pki.ts';

/** What an attacker with write access to the file does first: migration 0090's triggers are only SQL. */
function dropAuditTriggers(db: { exec(sql: string): unknown }): void {
  db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
}

describe('hash-chained audit log', () => {
  async function logged() {
    const t = await withIssuingCa();
    const cert = await t.service.issue({ ca: 'Test Issuing', subject: { commonName: 'audited' }, source: { kind: 'generated' } });
    await t.service.renew({ cert: cert.id });
    await t.service.revoke({ cert: cert.id, reason: 'superseded' });
    await t.service.generateCrl({ ca: 'Test Issuing' });
    await t.service.audit.settle();
    return t;
  }

  it('records every action in order, and verifies intact', async () => {
    const t = await logged();
    const { items, total } = t.service.listAudit({});
    expect(total).toBe(7);
    expect(items.map((e) => e.action).reverse()).toEqual([
      'vault.setup',
      'ca.create',
      'ca.create',
      'cert.issue',
      'cert.renew',
      'cert.revoke',
      'crl.generate',
    ]);
    expect(items.find((e) => e.action === 'cert.revoke')?.details).toMatchObject({ reason: 'superseded', cn: 'audited' });
    expect(await t.service.verifyAudit()).toMatchObject({ ok: true, checked: 7, problems: [], lastGoodSeq: 7, keyedFrom: 1 });
  });

  it('names an edited entry', async () => {
    const t = await logged();
    dropAuditTriggers(t.service.db);
    t.service.db.prepare(`UPDATE audit_log SET details = json_set(details, '$.reason', 'unspecified') WHERE action = 'cert.revoke'`).run();
    const seq = (t.service.db.prepare("SELECT seq FROM audit_log WHERE action = 'cert.revoke'").get() as { seq: number }).seq;
    const result = await t.service.verifyAudit();
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([{ seq, check: 'chain', problem: expect.stringContaining('altered') }]);
  });

  it('names a deleted entry, and the CLI fails with AUDIT_CHAIN_BROKEN', async () => {
    const t = await logged();
    dropAuditTriggers(t.service.db);
    t.service.db.prepare('DELETE FROM audit_log WHERE seq = 3').run();
    const result = await t.service.verifyAudit();
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => p.seq)).toContain(4);
    expect(result.problems.some((p) => /3–3 are missing/.test(p.problem))).toBe(true);
    t.service.close();
    const cli = await runCertdesk(['--data-dir', t.dataDir, '--json', 'audit', 'verify']);
    expect(cli.code).toBe(1);
    expect(cli.json).toMatchObject({ error: { code: 'AUDIT_CHAIN_BROKEN', message: expect.stringContaining('entry 4') } });
  });

  it('a rewritten entry with a recomputed hash still breaks the link to the next one', async () => {
    const t = await logged();
    // An attacker who edits entry 3 and fixes its own hash still leaves entry 4 pointing at the old one.
    const { createHash } = await import('node:crypto');
    dropAuditTriggers(t.service.db);
    t.service.db.prepare('UPDATE audit_log SET hash = ? WHERE seq = 3').run(createHash('sha256').update('forged').digest('hex'));
    const result = await t.service.verifyAudit();
    expect(result.problems.map((p) => p.seq)).toEqual(expect.arrayContaining([3, 4]));
  });

  it('checkpoints coalesce while entries keep coming, and reach the tail on settle and on close', async () => {
    const t = await logged();
    const checkpointSeq = () => (JSON.parse(readFileSync(join(t.dataDir, AUDIT_CHECKPOINT_FILE), 'utf8')) as { seq: number }).seq;
    const writes = vi.spyOn(CheckpointStore.prototype, 'writeFile');
    try {
      for (let i = 0; i < 200; i++) t.service.audit.append('test.burst', null, { i });
      // 200 commits outside any transaction: not one checkpoint (two fsyncs) each.
      expect(writes.mock.calls.length).toBeLessThanOrEqual(1);
      await t.service.audit.settle();
      expect(checkpointSeq()).toBe(7 + 200);
      expect(await t.service.verifyAudit()).toMatchObject({ ok: true, checked: 207, problems: [] });
      // After a quiet spell, an entry is checkpointed at once, not a window later.
      await sleep(CHECKPOINT_EVERY_MS + 50);
      t.service.audit.append('test.single', null, {});
      expect(checkpointSeq()).toBe(7 + 201);
      for (let i = 0; i < 5; i++) t.service.audit.append('test.last', null, { i });
      t.service.close();
      expect(checkpointSeq()).toBe(7 + 206);
    } finally {
      writes.mockRestore();
    }
  });
});
