import { describe, expect, it } from 'vitest';
import { scheduleToIcs } from '../../src/main/core/schedule/ics.ts';
import { daysBetween, renewAt, scheduleState } from '../../src/main/core/schedule/renewal-policy.ts';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openssl } from '../support/openssl.ts';
import { withIssuingCa } from '../support/pki.ts';
import { openTestService } from '../support/service.ts';
import { tempDir } from '../support/temp.ts';

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
    const revoked = await t.service.issue({
      ca: 'Test Issuing',
      subject: { commonName: 'revoked' },
      days: 90,
      source: { kind: 'generated' },
    });
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

  it('spells out the CA-expiry cascade: a CA outlived by what it signed, and a leaf outliving its issuing CA', async () => {
    // openssl builds a hierarchy certdesk would never issue (each level outlives its parent), and
    // certdesk imports it: the root for 10 days, the issuing CA for 30, a leaf for 60.
    const dir = tempDir();
    const f = (name: string) => join(dir, name);
    const run = (args: string[]) => expect(openssl(args).status, args.join(' ')).toBe(0);
    run([
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      f('root.key'),
      '-subj',
      '/CN=Brief Root',
      '-days',
      '10',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
      '-out',
      f('root.pem'),
    ]);
    run([
      'req',
      '-new',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      f('issuing.key'),
      '-subj',
      '/CN=Long Issuing',
      '-out',
      f('issuing.csr'),
    ]);
    writeFileSync(
      f('ca.ext'),
      'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n',
    );
    run([
      'x509',
      '-req',
      '-in',
      f('issuing.csr'),
      '-CA',
      f('root.pem'),
      '-CAkey',
      f('root.key'),
      '-CAcreateserial',
      '-days',
      '30',
      '-extfile',
      f('ca.ext'),
      '-out',
      f('issuing.pem'),
    ]);
    run([
      'req',
      '-new',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      f('leaf.key'),
      '-subj',
      '/CN=outliving-leaf',
      '-out',
      f('leaf.csr'),
    ]);
    writeFileSync(
      f('leaf.ext'),
      'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n',
    );
    run([
      'x509',
      '-req',
      '-in',
      f('leaf.csr'),
      '-CA',
      f('issuing.pem'),
      '-CAkey',
      f('issuing.key'),
      '-CAcreateserial',
      '-days',
      '60',
      '-extfile',
      f('leaf.ext'),
      '-out',
      f('leaf.pem'),
    ]);

    const t = openTestService();
    const read = (name: string) => readFileSync(f(name), 'utf8');
    await t.service.importAuthority({ certPem: read('root.pem'), keyPem: read('root.key') });
    await t.service.importAuthority({ certPem: read('issuing.pem'), keyPem: read('issuing.key') });
    await t.service.importCertificate({ pem: read('leaf.pem') });
    const items = t.service.schedule({});
    const warningsOf = (name: string) => items.find((i) => i.name === name)?.warnings.join(' ') ?? '';
    expect(warningsOf('Brief Root')).toContain('Issuing CA(s) "Long Issuing" outlive this root.');
    expect(warningsOf('Long Issuing')).toContain('1 active certificate(s) it signed outlive it.');
    expect(warningsOf('outliving-leaf')).toMatch(/The issuing CA "Long Issuing" expires on \d{4}-\d{2}-\d{2}, before this certificate\./);
  });

  it('exports an RFC 5545 calendar: CRLF lines of at most 75 octets, a renew and an expiry event per item', async () => {
    const t = await withIssuingCa({ clock: { now: () => new Date(T0) } });
    await t.service.issue({
      ca: 'Test Issuing',
      subject: { commonName: 'calendar, with; special\\chars and a very long name that must be folded somewhere' },
      source: { kind: 'generated' },
    });
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
    expect(unfolded).toContain('UID:' + (t.service.schedule({})[0]?.id ?? '') + '-renew@certdesk');
    expect(unfolded).toMatch(/DTSTART;VALUE=DATE:20270124/);
    expect(unfolded).toMatch(/DTSTART;VALUE=DATE:20270223/);
  });

  it("adds the Auth0 credential's expires_at to the calendar, as the timeline shows it", async () => {
    const t = await withIssuingCa({ clock: { now: () => new Date(T0) } });
    await t.service.issue({ ca: 'Test Issuing', subject: { commonName: 'bound' }, source: { kind: 'generated' } });
    const leaf = t.service.schedule({}).find((i) => i.name === 'bound')!;
    const bound = {
      ...leaf,
      credentials: [
        { tenantName: 'Prod', clientId: 'app-1', credentialId: 'cred_1', expiresAt: '2027-02-20T00:00:00.000Z' },
        { tenantName: 'Prod', clientId: 'app-2', credentialId: null, expiresAt: null },
      ],
    };
    const unfolded = scheduleToIcs([bound], new Date(T0)).replace(/\r\n /g, '');
    expect(unfolded.match(/BEGIN:VEVENT/g)).toHaveLength(3);
    expect(unfolded).toContain(`UID:${leaf.id}-credential-cred_1@certdesk`);
    expect(unfolded).toContain('SUMMARY:Auth0 credential of bound expires (Prod\\, app-1)');
    expect(unfolded).toMatch(/DTSTART;VALUE=DATE:20270220/);
  });
});
