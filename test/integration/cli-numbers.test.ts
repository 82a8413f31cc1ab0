import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runCertdesk } from '../support/cli.ts';
import { tempDir } from '../support/temp.ts';

const PASS = 'cli numbers store passphrase';

/** Rows in one table of the data folder's database, read with SQLite itself rather than through certdesk. */
function countRows(dir: string, table: 'certificates' | 'authorities'): number {
  const db = new Database(join(dir, 'certdesk.sqlite3'), { readonly: true });
  try {
    return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('certdesk numeric options', () => {
  it('refuses --days -1 by name with exit 1 and writes nothing; a fraction is not truncated either', async () => {
    const dir = tempDir();
    const env = { CERTDESK_DATA_DIR: dir, CERTDESK_PASSPHRASE: PASS };
    const run = (...args: string[]) => runCertdesk(['--json', ...args], env);
    expect((await run('vault', 'init', '--protection', 'passphrase')).code).toBe(0);
    expect((await run('ca', 'create', '--name', 'Numbers Root')).code).toBe(0);
    expect((await run('ca', 'create', '--name', 'Numbers Issuing', '--parent', 'Numbers Root')).code).toBe(0);

    const negative = await run('issue', '--ca', 'Numbers Issuing', '--cn', 'negative', '--days', '-1');
    expect(negative.code).toBe(1);
    expect(negative.json).toEqual({
      error: { code: 'VALIDATION', message: '--days must be a whole number from 1 to 3650; got "-1".', field: 'days' },
    });
    const human = await runCertdesk(['issue', '--ca', 'Numbers Issuing', '--cn', 'negative', '--days=-1'], env);
    expect(human.code).toBe(1);
    expect(human.stderr).toBe('error: --days must be a whole number from 1 to 3650; got "-1". (field: days)\n');

    const fraction = await run('issue', '--ca', 'Numbers Issuing', '--cn', 'fraction', '--days', '1.5');
    expect(fraction.code).toBe(1);
    expect(fraction.json).toMatchObject({ error: { code: 'VALIDATION', field: 'days', message: expect.stringContaining('got "1.5"') } });
    const years = await run('ca', 'create', '--name', 'Too Long', '--years', '2.5');
    expect(years.json).toMatchObject({ error: { code: 'VALIDATION', field: 'years' } });
    expect(countRows(dir, 'certificates')).toBe(0);
    expect(countRows(dir, 'authorities')).toBe(2);

    for (const [args, field] of [
      [['list', '--limit', '0'], 'limit'],
      [['list', '--expiring-within', '-3'], 'expiring-within'],
      [['schedule', '--within', '1e3'], 'within'],
      [['rotate', '--all-due', '--concurrency', '17'], 'concurrency'],
      [['rotate', '--all-due', '--within', '-1'], 'within'],
      [['rotate', '--all-due', '--overlap', '-1d'], 'overlap'],
      [['sandbox', 'start', '--dir', tempDir(), '--port', '-1'], 'port'],
      [['sandbox', 'start', '--dir', tempDir(), '--fail-5xx-share=2'], 'fail-5xx-share'],
    ] as const) {
      const refused = await run(...args);
      expect(refused.code, args.join(' ')).toBe(1);
      expect(refused.json, args.join(' ')).toMatchObject({
        error: { code: 'VALIDATION', field, message: expect.stringMatching(`^--${field} must be`) },
      });
    }

    // The same parser lets a good value through.
    const issued = await run('issue', '--ca', 'Numbers Issuing', '--cn', 'good', '--days', '30');
    expect(issued.code, issued.stdout).toBe(0);
    expect(countRows(dir, 'certificates')).toBe(1);
  });
});
