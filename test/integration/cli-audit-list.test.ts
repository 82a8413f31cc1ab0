/**
 * `certdesk audit list` through the CLI program (commander, channels, schemas; in-process for speed): subjects by name, filters applied in SQL (kind,
 * subject, UTC dates), bad filters refused by field, and CSV whose cells a spreadsheet cannot run.
 */
import { describe, expect, it } from 'vitest';
import type { AuditRow, CertificateDetail } from '../../src/shared/contract/index.ts';
import { inProcessCliStore } from '../support/cli-store.ts';

describe('certdesk audit list', () => {
  it('resolves subjects, filters by kind, subject and date, and exports neutralised CSV', async () => {
    const { run, human } = await inProcessCliStore('Audit');
    // A CN an attacker would choose to run a formula in the operator's spreadsheet.
    const issued = await run('issue', '--ca', 'Audit Issuing', '--cn', '=HYPERLINK("http://evil.test","x")', '--days', '30');
    expect(issued.code, issued.stderr + issued.stdout).toBe(0);
    const cert = issued.json as CertificateDetail;

    const all = await run('audit', 'list');
    expect(all.code, all.stderr).toBe(0);
    const rows = all.json as AuditRow[];
    expect(rows.map((r) => r.seq)).toEqual([...rows.map((r) => r.seq)].sort((a, b) => b - a));
    const created = rows.find((r) => r.action === 'ca.create' && r.subject?.label === 'Audit Root');
    expect(created?.subject).toMatchObject({ kind: 'ca', caId: created?.subjectId });
    const issueRow = rows.find((r) => r.action === 'cert.issue');
    expect(issueRow?.subject).toMatchObject({ kind: 'certificate', certificateId: cert.id });
    expect(issueRow?.subject?.label).toContain('=HYPERLINK');
    expect(issueRow?.subject?.label).toContain(cert.serialHex.slice(0, 2).toUpperCase());

    const kinds = async (...args: string[]) => ((await run('audit', 'list', ...args)).json as AuditRow[]).map((r) => r.action);
    expect(new Set(await kinds('--kind', 'ca'))).toEqual(new Set(['ca.create']));
    expect(new Set(await kinds('--kind', 'cert.issue', 'ca.create'))).toEqual(new Set(['cert.issue', 'ca.create']));
    // "ca" is a family: it never matches "cakes" or "cert".
    expect(await kinds('--kind', 'c')).toEqual([]);

    const bySubject = (await run('audit', 'list', '--subject', 'audit issuing')).json as AuditRow[];
    expect(bySubject.length).toBeGreaterThan(0);
    expect(bySubject.every((r) => r.subject?.label === 'Audit Issuing' || r.details.ca === 'Audit Issuing')).toBe(true);
    const colonSerial = cert.serialHex.toUpperCase().match(/../g)!.join(':');
    expect(((await run('audit', 'list', '--subject', colonSerial)).json as AuditRow[]).map((r) => r.subjectId)).toContain(cert.id);
    // Text is a parameter, never SQL: a quote matches nothing rather than everything.
    expect((await run('audit', 'list', '--subject', "' OR 1=1 --")).json).toEqual([]);

    const today = new Date().toISOString().slice(0, 10);
    const sameDay = (await run('audit', 'list', '--since', today, '--until', today)).json as AuditRow[];
    expect(sameDay.map((r) => r.seq)).toEqual(rows.map((r) => r.seq));
    expect((await run('audit', 'list', '--since', '2999-01-01')).json).toEqual([]);
    expect((await run('audit', 'list', '--until', '2000-01-01')).json).toEqual([]);

    const bad = await run('audit', 'list', '--since', 'yesterday');
    expect(bad.code).toBe(1);
    expect(bad.json).toMatchObject({ error: { code: 'VALIDATION', field: 'since' } });
    const swapped = await run('audit', 'list', '--since', '2026-02-01', '--until', '2026-01-01');
    expect(swapped.json).toMatchObject({ error: { code: 'VALIDATION', field: 'until' } });
    expect((await run('audit', 'list', '--since', '2026-02-30')).json).toMatchObject({ error: { field: 'since' } });

    const csv = await human('audit', 'list', '--csv', '--kind', 'cert');
    expect(csv.code, csv.stderr).toBe(0);
    expect((await human('audit', 'list', '--kind', 'cert.issue')).stdout).toMatch(/cert\.issue {2}=HYPERLINK.*\n {4}serial: /);
    const lines = csv.stdout.trimEnd().split('\r\n');
    expect(lines[0]).toBe('seq,at,actor,action,subject_kind,subject,subject_id,details,hash');
    expect(lines).toHaveLength(2);
    // Prefixed with ' so it is text, and quoted because it holds quotes and a comma.
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://evil.test"",""x"")`);
    expect((await run('audit', 'list', '--csv')).json).toMatchObject({ error: { field: 'csv' } });
  });
});
