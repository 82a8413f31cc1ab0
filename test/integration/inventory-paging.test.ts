/**
 * A large inventory is never held whole (issue 14): the list channel answers one bounded page with
 * the total counted in SQL, and the due check (schedule:list with a window, run on every page change)
 * reads only the certificates that can be due, with the same answer as the full schedule filtered.
 */
import { describe, expect, it } from 'vitest';
import { fillInventory } from '../../bench/inventory-fill.ts';
import { leafRenewalPolicy } from '../../src/main/core/schedule/renewal-policy.ts';
import { buildSchedule, dueSummary } from '../../src/main/core/schedule/schedule.ts';
import { PROFILES } from '../../src/main/core/pki/profiles.ts';
import { CertificateRepository } from '../../src/main/core/store/certificate-repository.ts';
import { createHandlers, dispatch } from '../../src/main/host/dispatch.ts';
import {
  dueCount,
  dueMark,
  summarizeDue,
  type CertificatePage,
  type DueSummary,
  type Result,
  type ScheduleItem,
} from '../../src/shared/contract/index.ts';
import { withIssuingCa } from '../support/pki.ts';
import { preparedDuring, queryPlan } from '../support/query-plans.ts';

const COUNT = 3_000;

async function largeInventory() {
  const t = await withIssuingCa();
  await t.service.issue({ ca: 'Test Issuing', subject: { commonName: 'seed' }, source: { kind: 'generated' } });
  fillInventory(t.service.db, COUNT);
  return t;
}

describe('a large inventory', () => {
  it('certs:list answers one bounded page and the total, never the whole list', async () => {
    const t = await largeInventory();
    const handlers = createHandlers(t.service);
    const call = async (input: unknown) => (await dispatch(handlers, 'certs:list', input, () => {})) as Result<CertificatePage>;

    const first = await call({ limit: 200 });
    expect(first.ok && first.value.total).toBe(COUNT);
    expect(first.ok && first.value.items.length).toBe(200);
    // Without a limit the page is still bounded (the default), not the inventory.
    const unbounded = await call({});
    expect(unbounded.ok && unbounded.value.items.length).toBe(100);
    // A later page is the next window of the same order, with the same total.
    const later = await call({ offset: 2_900, limit: 200 });
    expect(later.ok && later.value.items.length).toBe(100);
    expect(later.ok && later.value.total).toBe(COUNT);
    // A page larger than the contract allows is refused by name, not served.
    const huge = await call({ limit: COUNT });
    expect(huge.ok).toBe(false);
    expect(!huge.ok && huge.error).toMatchObject({ code: 'VALIDATION', field: 'limit' });
  });

  it('the due check reads only the certificates that can be due, and answers as the full schedule does', async () => {
    const t = await largeInventory();
    const now = new Date();
    const store = new CertificateRepository(t.service.db);
    const full = t.service.schedule({});
    const leaves = full.filter((i) => i.kind === 'leaf');
    expect(leaves.length).toBe(COUNT);

    for (const within of [0, 7, 45]) {
      const until = new Date(now.getTime() + (within + 1) * 86_400_000);
      // The store's own read behind schedule({ withinDays }): a fraction of the inventory, not all of it.
      const candidates = store.renewalCandidates(
        'active',
        now,
        until,
        leafRenewalPolicy,
        PROFILES.map((p) => p.name),
      );
      const kept = (i: ScheduleItem) => i.kind === 'leaf' && (i.state !== 'ok' || i.daysUntilRenewal <= within);
      const expected = full.filter(kept).map((i) => i.id);
      expect(expected.length).toBeGreaterThan(0);
      // Expired leaves are read apart (they are always due): the active candidates must cover every active one kept.
      const activeIds = new Set(candidates.map((c) => (c as { id: string }).id));
      expect(full.filter((i) => kept(i) && i.state !== 'expired').filter((i) => !activeIds.has(i.id))).toEqual([]);
      expect(candidates.length).toBeLessThan(COUNT / 2);

      const windowed = t.service.schedule({ withinDays: within });
      expect(
        windowed
          .filter((i) => i.kind === 'leaf')
          .map((i) => i.id)
          .sort(),
      ).toEqual(expected.sort());
      // The CA items (with their count of leaves that outlive them, now counted in SQL) are the full schedule's.
      for (const ca of windowed.filter((i) => i.kind === 'ca')) expect(ca).toEqual(full.find((i) => i.id === ca.id));
    }
  });
  it('the due banner reads counts and one mark per item, not the items; a detail panel reads its own item', async () => {
    const t = await largeInventory();
    const handlers = createHandlers(t.service);
    const call = async <T>(channel: 'schedule:due' | 'schedule:list', input: unknown) =>
      (await dispatch(handlers, channel, input, () => {})) as Result<T>;

    const windowed = t.service.schedule({ withinDays: 0 });
    const pending = windowed.filter((i) => i.state !== 'ok');
    expect(pending.length).toBeGreaterThan(100);
    const summary = await call<DueSummary>('schedule:due', {});
    if (!summary.ok) throw new Error(summary.error.message);
    const count = (state: ScheduleItem['state']) => pending.filter((i) => i.state === state).length;
    expect(summary.value).toMatchObject({ expired: count('expired'), overdue: count('overdue'), due: count('due') });
    expect(summary.value.cas).toBe(pending.filter((i) => i.kind === 'ca').length);
    expect(summary.value.marks.sort()).toEqual(pending.map((i) => dueMark(i.id, i.state)).sort());
    expect(new Set(summary.value.marks).size).toBe(pending.length);
    // A fraction of what the items weigh: what every page change used to carry.
    expect(JSON.stringify(summary.value).length).toBeLessThan(JSON.stringify(pending).length / 10);
    expect(await call('schedule:due', { withinDays: 0 })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });

    // One certificate's item, exactly as the whole schedule has it; another id has none, and no CA comes along.
    const full = t.service.schedule({});
    for (const item of [pending.find((i) => i.kind === 'leaf')!, full.find((i) => i.kind === 'leaf' && i.state === 'ok')!]) {
      const own = await call<ScheduleItem[]>('schedule:list', { certificate: item.id });
      expect(own).toEqual({ ok: true, value: [full.find((i) => i.id === item.id)] });
    }
    expect(await call('schedule:list', { certificate: 'crt_not_there' })).toEqual({ ok: true, value: [] });
    expect(await call('schedule:list', { certificate: 7 })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'certificate' },
    });
  });
  it("counts a CA's outliving leaves through its own leaves by expiry, and reads the due candidates in one pass", async () => {
    const t = await largeInventory();
    const now = new Date();
    const store = new CertificateRepository(t.service.db);
    // The statements the repository prepares, as SQLite would run them.
    const issuing = t.service.authorities.list().find((a) => a.name === 'Test Issuing')!;
    const counted = preparedDuring(t.service.db, () => store.countOutliving(issuing.id, issuing.notAfter, now));
    expect(counted).toHaveLength(1);
    const countPlan = queryPlan(t.service.db, counted[0]!, { issuer: issuing.id, outlives: issuing.notAfter, now: now.toISOString() }).join(
      ' | ',
    );
    // Not every row the CA signed (the issuer/serial index), not every leaf of any CA expiring later (not_after's).
    expect(countPlan).toContain('USING INDEX certificates_issuer_not_after (authority_id=? AND not_after>?)');

    const prepared = preparedDuring(t.service.db, () =>
      store.renewalCandidates(
        'active',
        now,
        new Date(now.getTime() + 86_400_000),
        leafRenewalPolicy,
        PROFILES.map((p) => p.name),
      ),
    );
    expect(
      prepared.filter((sql) => /count\(\*\)/i.test(sql)),
      'no scan of its own for a count',
    ).toEqual([]);
    expect(prepared).toHaveLength(1);
  });
  it("the due answer, decided from one index, is the full schedule's on an inventory of every kind of leaf", async () => {
    const t = await largeInventory();
    const db = t.service.db;
    const ctx = t.service['ctx'];
    const day = 86_400_000;
    const iso = (offsetDays: number) => new Date(Date.now() + offsetDays * day).toISOString();
    const ids = (db.prepare("SELECT id FROM certificates WHERE id LIKE 'cert_bench%' ORDER BY id").all() as { id: string }[]).map(
      (r) => r.id,
    );
    // A seeded walk (no Math.random: a failure must be reproducible) over every shape the schedule tells apart.
    let seed = 14;
    const next = () => (seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32;
    const profiles = [...PROFILES.map((p) => p.name), null];
    const update = db.prepare(
      'UPDATE certificates SET profile = ?, not_before = ?, not_after = ?, revoked_at = ?, revocation_reason = ? WHERE id = ?',
    );
    const replace = db.prepare('UPDATE certificates SET replaces_id = ? WHERE id = ?');
    const seen = db.prepare(
      'INSERT INTO edge_usage (certificate_id, first_seen, last_seen, requests, last_status, token_successes) VALUES (?, ?, ?, 1, 200, 1)',
    );
    db.transaction(() => {
      ids.forEach((id, n) => {
        // Lifetimes from a day to two years, started up to 800 days ago: some past their fraction, some in their last days, some expired.
        const lifetime = 1 + Math.floor(next() * 730);
        const started = -Math.floor(next() * 800);
        const revoked = next() < 0.05;
        update.run(
          profiles[n % profiles.length],
          iso(started),
          iso(started + lifetime),
          revoked ? iso(started) : null,
          revoked ? 'keyCompromise' : null,
          id,
        );
      });
      // Successors: an active leaf, an expired one and a revoked one may each be replaced.
      for (let n = 0; n + 1 < ids.length; n += 7) replace.run(ids[n], ids[n + 1]);
      // The edge saw some of them after their retirement, some before, some still in service.
      for (let n = 0; n < ids.length; n += 5) seen.run(ids[n], iso(-900), next() < 0.5 ? iso(1) : iso(-900));
    })();

    const states = new Set(buildSchedule(ctx, {}, true).map((i) => i.state));
    expect([...states].sort()).toEqual(['due', 'expired', 'ok', 'overdue']);
    for (const evidence of [false, true]) {
      const expected = summarizeDue(buildSchedule(ctx, { withinDays: 0 }, evidence));
      const answered = dueSummary(ctx, evidence);
      expect({ ...answered, marks: [...answered.marks].sort() }).toEqual({ ...expected, marks: [...expected.marks].sort() });
    }
    // With evidence, the retired certificates the edge still sees are counted too.
    expect(dueCount(dueSummary(ctx, true))).toBeGreaterThan(dueCount(dueSummary(ctx, false)));

    // Read from the index's pages alone, never from the rows with their DER.
    const read = preparedDuring(db, () => dueSummary(ctx, false)).find((sql) => sql.includes('FROM certificates c'))!;
    const params = Object.fromEntries([...read.matchAll(/@(\w+)/g)].map((m) => [m[1], m[1]!.startsWith('p') ? 'x' : 1]));
    const plan = queryPlan(db, read, params).join(' | ');
    expect(plan).toContain('SCAN c USING COVERING INDEX certificates_renewal');
  });
});
