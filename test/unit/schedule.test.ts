import { describe, expect, it } from 'vitest';
import { daysBetween, renewAt, scheduleState } from '../../src/main/core/schedule/renewal-policy.ts';
import { withIssuingCa } from '../support/pki.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 25, 12);

describe('renewal policy', () => {
  it('renews at two thirds of the lifetime, or N days before expiry, whichever comes first', () => {
    const policy = { renewAtFraction: 2 / 3, renewDaysBefore: 30 };
    // 90 days: two thirds = day 60; 30 days before = day 60. Equal.
    expect(renewAt(new Date(T0), new Date(T0 + 90 * DAY), policy).getTime()).toBe(T0 + 60 * DAY);
    // 397 days: two thirds ≈ day 264.7; 30 days before = day 367 → the fraction wins.
    expect(renewAt(new Date(T0), new Date(T0 + 397 * DAY), policy).getTime()).toBe(T0 + (397 * DAY * 2) / 3);
    // 30 days: two thirds = day 20; 30 days before = day 0 → renew at once.
    expect(renewAt(new Date(T0), new Date(T0 + 30 * DAY), policy).getTime()).toBe(T0);
  });

  it('states: ok before renewal, due after, overdue in the last week, expired after notAfter', () => {
    const renewal = new Date(T0 + 60 * DAY);
    const end = new Date(T0 + 90 * DAY);
    expect(scheduleState(new Date(T0), renewal, end)).toBe('ok');
    expect(scheduleState(new Date(T0 + 61 * DAY), renewal, end)).toBe('due');
    expect(scheduleState(new Date(T0 + 84 * DAY), renewal, end)).toBe('overdue');
    expect(scheduleState(new Date(T0 + 90 * DAY), renewal, end)).toBe('expired');
    expect(daysBetween(new Date(T0), new Date(T0 + 1.5 * DAY))).toBe(1);
  });
});

describe('schedule', () => {
  it('lists what is due first, with CAs and the cascade warnings, and filters by a window', async () => {
    let now = T0;
    const t = await withIssuingCa({ clock: { now: () => new Date(now) } });
    await t.service.issue({ ca: 'Test Issuing', subject: { commonName: 'long' }, days: 90, source: { kind: 'generated' } });
    await t.service.issue({ ca: 'Test Issuing', subject: { commonName: 'short' }, days: 20, source: { kind: 'generated' } });
    const revoked = await t.service.issue({ ca: 'Test Issuing', subject: { commonName: 'revoked' }, days: 90, source: { kind: 'generated' } });
    await t.service.revoke({ cert: revoked.id });
    now += 10 * DAY;
    const items = t.service.schedule({});
    expect(items.map((i) => [i.name, i.state])).toEqual([
      ['short', 'due'],
      ['long', 'ok'],
      ['Test Issuing', 'ok'],
      ['Test Root', 'ok'],
    ]);
    expect(items[0]).toMatchObject({ kind: 'leaf', issuerName: 'Test Issuing', daysUntilExpiry: 10 });
    expect(t.service.schedule({ withinDays: 60 }).map((i) => i.name)).toEqual(['short', 'long']);
    now += 8 * DAY;
    expect(t.service.schedule({ withinDays: 0 })[0]).toMatchObject({ name: 'short', state: 'overdue' });
    now += 3 * DAY;
    expect(t.service.schedule({ withinDays: 0 })[0]).toMatchObject({ name: 'short', state: 'expired' });
  });

  it('warns when the issuing CA will be too short-lived for a full successor', async () => {
    let now = T0;
    const t = await withIssuingCa({ clock: { now: () => new Date(now) } });
    await t.service.createAuthority({ name: 'Short Issuing', parent: 'Test Root', years: 1 });
    now += 200 * DAY;
    // Renewal falls on day 300; the CA then has 65 days left, less than a 90-day successor needs.
    await t.service.issue({ ca: 'Short Issuing', subject: { commonName: 'late' }, days: 150, source: { kind: 'generated' } });
    const late = t.service.schedule({}).find((i) => i.name === 'late');
    expect(late?.warnings.join(' ')).toMatch(/renew the CA first/);
  });

  it('exports an RFC 5545 calendar: CRLF lines of at most 75 octets, a renew and an expiry event per item', async () => {
    const t = await withIssuingCa({ clock: { now: () => new Date(T0) } });
    await t.service.issue({ ca: 'Test Issuing', subject: { commonName: 'calendar, with; special\\chars and a very long name that must be folded somewhere' }, source: { kind: 'generated' } });
    const { filename, content } = t.service.scheduleIcs({});
    expect(filename).toMatch(/\.ics$/);
    expect(content.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
    expect(content.endsWith('END:VCALENDAR\r\n')).toBe(true);
    const lines = content.split('\r\n').slice(0, -1);
    for (const line of lines) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(content.replace(/\r\n /g, '').split('\r\n').slice(0, -1)).not.toContain('');
    expect(content.match(/BEGIN:VEVENT/g)).toHaveLength(6);
    const unfolded = content.replace(/\r\n /g, '');
    expect(unfolded).toContain('SUMMARY:Renew calendar\\, with\\; special\\\\chars and a very long name that must be folded somewhere');
    // Issued 2026-11-25 for 90 days: renew on day 60, expire on day 90.
    expect(unfolded).toContain("UID:" + (t.service.schedule({})[0]?.id ?? "") + "-renew@certdesk");
    expect(unfolded).toMatch(/DTSTART;VALUE=DATE:20270124/);
    expect(unfolded).toMatch(/DTSTART;VALUE=DATE:20270223/);
  });
});
