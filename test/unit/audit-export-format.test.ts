import { describe, expect, it } from 'vitest';
import { csvCell } from '../../src/main/core/audit/audit-export.ts';
import { compileAuditFilter, shortSerial } from '../../src/main/core/audit/audit-query.ts';
import { auditDetailLines } from '../../src/shared/audit-details.ts';

describe('audit export and filter pieces', () => {
  it('quotes CSV cells as RFC 4180 says and turns would-be formulas into text', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell(42)).toBe('42');
    expect(csvCell(null)).toBe('');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    for (const lead of ['=', '+', '-', '@', '\t', '\r'])
      expect(csvCell(`${lead}SUM(A1)`).startsWith(`'${lead}`) || csvCell(`${lead}SUM(A1)`).startsWith(`"'${lead}`)).toBe(true);
    expect(csvCell('=1+1,2')).toBe(`"'=1+1,2"`);
  });

  it('compiles filters to parameters only, and refuses bad kinds and dates by field', () => {
    const { where, params } = compileAuditFilter({ kinds: ['cert'], subject: "x' OR 1=1", since: '2026-01-01', until: '2026-01-31' });
    expect(where).not.toContain("x'");
    expect(params).toContain("x' or 1=1");
    expect(params).toContain('2026-01-01T00:00:00.000Z');
    // until is inclusive: the whole of its day.
    expect(params).toContain('2026-02-01T00:00:00.000Z');
    expect(compileAuditFilter({}).where).toBe('');
    expect(() => compileAuditFilter({ kinds: ["cert'; DROP TABLE audit_log"] })).toThrow(expect.objectContaining({ field: 'kinds' }));
    expect(() => compileAuditFilter({ since: '05/12/2026' })).toThrow(expect.objectContaining({ field: 'since' }));
    expect(() => compileAuditFilter({ until: '2026-13-01' })).toThrow(expect.objectContaining({ field: 'until' }));
    expect(() => compileAuditFilter({ since: '2026-02-01', until: '2026-01-31' })).toThrow(expect.objectContaining({ field: 'until' }));
    expect(compileAuditFilter({ since: '2026-01-01T10:00:00Z' }).params).toEqual(['2026-01-01T10:00:00.000Z']);
  });

  it('shows details as key: value lines, nested keys dotted, nothing cut', () => {
    const long = 'x'.repeat(500);
    expect(auditDetailLines({ name: 'Root', ok: true, missing: [], scopes: ['a', 'b'], nested: { from: 1, to: null }, long })).toEqual([
      { key: 'name', value: 'Root' },
      { key: 'ok', value: 'yes' },
      { key: 'missing', value: '(none)' },
      { key: 'scopes', value: 'a, b' },
      { key: 'nested.from', value: '1' },
      { key: 'nested.to', value: '—' },
      { key: 'long', value: long },
    ]);
    expect(shortSerial('0a1b2c3d4e5f60718293a4b5c6d7e8f9')).toBe('0A:1B:2C…E8:F9');
    expect(shortSerial('0a1b')).toBe('0A:1B');
  });
});
