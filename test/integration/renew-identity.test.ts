/**
 * Issue 10 review, finding 1: renewing (or rotating) an expired certificate carried its DN on with
 * no check, though while it was expired the DN had become free and another lineage took it. The
 * successor would then answer to the other lineage's identity. Each test replays the attack through
 * the contract and proves it refused with nothing written.
 */
import { describe, expect, it } from 'vitest';
import { createHandlers, dispatch } from '../../src/main/host/dispatch.ts';
import type { Result } from '../../src/shared/contract/index.ts';
import { withIssuingCa } from '../support/pki.ts';
import type { TestService } from '../support/service.ts';

const DAY = 86_400_000;

function counts(t: TestService) {
  return t.service.db
    .prepare(
      `SELECT (SELECT count(*) FROM certificates) c, (SELECT count(*) FROM keys) k, (SELECT count(*) FROM audit_log) a,
              (SELECT count(*) FROM rotation_jobs) j, (SELECT count(*) FROM rotation_journal) r, (SELECT group_concat(serial_hex) FROM certificates) serials`,
    )
    .get();
}

/** A service whose clock the test moves, as an operator's calendar would. */
async function movableService() {
  let at = Date.now();
  const t = await withIssuingCa({ clock: { now: () => new Date(at) } });
  return Object.assign(t, { later: (ms: number) => (at += ms) });
}

describe('a renewal cannot take a DN another lineage holds', () => {
  it('refuses to renew or rotate an expired certificate whose DN a new lineage took, changing nothing', async () => {
    const t = await movableService();
    const handlers = createHandlers(t.service);
    const x = await t.service.issue({ ca: 'Test Issuing', subject: { commonName: 'svc' }, days: 1, source: { kind: 'generated' } });
    t.later(2 * DAY);
    // X expired, so its DN identifies nobody and a new lineage may have it.
    const y = await t.service.issue({ ca: 'Test Issuing', subject: { commonName: 'svc' }, source: { kind: 'generated' } });
    expect(y.replacesId).toBeNull();
    const before = counts(t);

    for (const input of [{ cert: x.id, sameKey: true }, { cert: x.id }]) {
      const result = (await dispatch(handlers, 'certs:renew', input, () => {})) as Result<unknown>;
      expect(result.ok, JSON.stringify(input)).toBe(false);
      if (result.ok) continue;
      expect(result.error).toMatchObject({ code: 'SUBJECT_DN_CONFLICT', field: 'cert' });
      expect(result.error.message).toContain(`active certificate ${y.id}`);
      expect(result.error.message).toContain(`lineage ${y.id}`);
    }
    const rotated = (await dispatch(handlers, 'rotation:start', { cert: x.id, sameKey: true, verify: false }, () => {})) as Result<unknown>;
    expect(rotated.ok).toBe(false);
    if (!rotated.ok) expect(rotated.error).toMatchObject({ code: 'SUBJECT_DN_CONFLICT', field: 'cert' });

    // No certificate, key, audit entry or rotation job was written; only Y answers to CN=svc.
    expect(counts(t)).toEqual(before);
    const active = t.service.db
      .prepare("SELECT id FROM certificates WHERE common_name = 'svc' AND revoked_at IS NULL AND not_after > ?")
      .all(new Date(t.later(0)).toISOString());
    expect(active).toEqual([{ id: y.id }]);

    // Y's own lineage keeps the DN; and once Y is revoked, X's lineage may have it back.
    const y2 = await t.service.renew({ cert: y.id, sameKey: true });
    expect(y2.replacesId).toBe(y.id);
    await t.service.revoke({ cert: y2.id, reason: 'cessationOfOperation' });
    await t.service.revoke({ cert: y.id, reason: 'cessationOfOperation' });
    const x2 = await t.service.renew({ cert: x.id, sameKey: true });
    expect(x2.replacesId).toBe(x.id);
  });
});
