import { describe, expect, it } from 'vitest';
import { CRL_VALIDITY_DAYS } from '../../src/main/core/ca/crls.ts';
import type { Clock } from '../../src/main/core/clock.ts';
import { crlNotice } from '../../src/main/host/background.ts';
import { CRL_WARN_HOURS, crlFreshness } from '../../src/shared/contract/index.ts';
import { openTestService } from '../support/service.ts';

const START = Date.UTC(2026, 11, 5, 10, 0, 0);
const HOUR = 3_600_000;

describe('CRL age and the warning before nextUpdate', () => {
  it('the list carries each CA CRL; the schedule and the notice warn from CRL_WARN_HOURS before nextUpdate, and once it passed', async () => {
    let now = START;
    const clock: Clock = { now: () => new Date(now) };
    const t = openTestService({ clock });
    const root = await t.service.createAuthority({ name: 'CRL Root' });
    expect(t.service.listAuthorities()[0]!.crl).toBeNull();
    expect(crlFreshness(null, new Date(now)).state).toBe('none');

    const crl = await t.service.generateCrl({ ca: root.id });
    const listed = t.service.listAuthorities()[0]!.crl!;
    expect(listed).toEqual({ crlNumber: crl.crlNumber, thisUpdate: crl.thisUpdate, nextUpdate: crl.nextUpdate });

    const seen = new Set<string>();
    const crlWarnings = () =>
      t.service
        .schedule({ withinDays: 1 })
        .find((i) => i.id === root.id)
        ?.warnings.filter((w) => w.includes('CRL')) ?? [];
    expect(crlFreshness(listed, new Date(now))).toMatchObject({ state: 'fresh', ageHours: 0, hoursLeft: CRL_VALIDITY_DAYS * 24 });
    expect(crlWarnings()).toEqual([]);
    expect(crlNotice(t.service.listAuthorities(), new Date(now), seen)).toBeNull();

    // One hour inside the warning window.
    now = Date.parse(listed.nextUpdate) - (CRL_WARN_HOURS - 1) * HOUR;
    expect(crlFreshness(listed, new Date(now)).state).toBe('soon');
    expect(crlWarnings()).toEqual([expect.stringContaining(`CRL #${listed.crlNumber} runs out at`)]);
    const notice = crlNotice(t.service.listAuthorities(), new Date(now), seen);
    expect(notice).toMatchObject({ title: 'The CRL of CRL Root needs renewing', tone: 'warning' });
    // Said once per CRL and state.
    expect(crlNotice(t.service.listAuthorities(), new Date(now), seen)).toBeNull();

    now = Date.parse(listed.nextUpdate) + HOUR;
    expect(crlWarnings()).toEqual([expect.stringContaining('passed its next update')]);
    expect(crlNotice(t.service.listAuthorities(), new Date(now), seen)).toMatchObject({ tone: 'error' });

    // A new CRL clears it.
    await t.service.generateCrl({ ca: root.id });
    expect(crlWarnings()).toEqual([]);
  });
});
