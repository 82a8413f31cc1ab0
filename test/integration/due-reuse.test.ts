/**
 * The due check every page change asks for (issue 14): the service answers it again from its last read
 * while nothing has been written and for at most DUE_REUSE_MS, and reads afresh after a write by this
 * connection or another, or once that time has passed.
 */
import { describe, expect, it } from 'vitest';
import { fillInventory } from '../../bench/inventory-fill.ts';
import { DUE_REUSE_MS, dueStates } from '../../src/main/core/schedule/schedule.ts';
import { CertdeskService } from '../../src/main/core/service.ts';
import { withIssuingCa } from '../support/pki.ts';

describe('the due check', () => {
  it('is read again only after a write, here or in another process, or after DUE_REUSE_MS', async () => {
    let now = Date.now();
    const t = await withIssuingCa({ clock: { now: () => new Date(now) } });
    await t.service.issue({ ca: 'Test Issuing', subject: { commonName: 'seed' }, source: { kind: 'generated' } });
    fillInventory(t.service.db, 300);
    const fresh = () => dueStates(t.service.edgeContext());
    const dueLeaves = (states: ReadonlyArray<{ id: string; kind: string; state: string }>) =>
      states.filter((s) => s.kind === 'leaf' && s.state !== 'ok').map((s) => s.id);

    const first = t.service.dueStates();
    expect(first).toEqual(fresh());
    const [here, elsewhere] = dueLeaves(first);
    expect(here && elsewhere).toBeTruthy();
    // Nothing written and 10 s later: the same answer, not read again.
    now += 10_000;
    expect(t.service.dueStates()).toBe(first);
    expect(t.service.dueSummary()).toEqual(t.service.dueSummary());

    // This connection revokes one: read afresh, and it is gone.
    await t.service.revoke({ cert: here!, reason: 'superseded' });
    const afterRevoke = t.service.dueStates();
    expect(afterRevoke).not.toBe(first);
    expect(afterRevoke).toEqual(fresh());
    expect(dueLeaves(afterRevoke)).not.toContain(here);
    expect(t.service.dueStates()).toBe(afterRevoke);

    // Another certdesk on the same data folder (the CLI beside the app) revokes another.
    const other = CertdeskService.open({ dataDir: t.dataDir, secretStore: t.secretStore, mode: 'cli' });
    try {
      await other.revoke({ cert: elsewhere!, reason: 'superseded' });
    } finally {
      other.close();
      await other.audit.settle();
    }
    const afterOther = t.service.dueStates();
    expect(dueLeaves(afterOther)).not.toContain(elsewhere);
    expect(afterOther).toEqual(fresh());

    // With no write, the answer is reused until DUE_REUSE_MS has passed, and read again after.
    now += DUE_REUSE_MS - 1;
    expect(t.service.dueStates()).toBe(afterOther);
    now += 1;
    const later = t.service.dueStates();
    expect(later).not.toBe(afterOther);
    expect(later).toEqual(afterOther);
    // A clock set back is never inside the window either.
    now -= 60_000;
    expect(t.service.dueStates()).not.toBe(later);
  });
});
