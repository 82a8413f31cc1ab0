/**
 * `certdesk crl --out` and `certdesk schedule --ics` write where the operator says, under the same
 * rules as every other export (core/files/chosen-file.ts): the folder must exist, and an existing
 * file is replaced only with --force. A refused target changes nothing: the file keeps its bytes,
 * no folder appears, and no CRL is signed (its number is not spent).
 */
import BetterSqlite3 from 'better-sqlite3';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../src/main/core/paths.ts';
import type { CrlView } from '../../src/shared/contract/index.ts';
import { runCertdesk } from '../support/cli.ts';
import { tempDir } from '../support/temp.ts';

// Passphrase mode keeps this suite independent of the keychain (the keychain path is covered elsewhere).
const PASS = 'cli chosen files store passphrase';

async function store() {
  const dir = tempDir();
  const env = { CERTDESK_DATA_DIR: dir, CERTDESK_PASSPHRASE: PASS };
  const run = (...args: string[]) => runCertdesk(['--json', ...args], env);
  await run('vault', 'init', '--protection', 'passphrase');
  await run('ca', 'create', '--name', 'Files Root');
  return { dir, run };
}

/** Read from the store's own SQLite file, as the CLI left it. */
function crlRows(dir: string): number {
  const db = new BetterSqlite3(join(dir, DATABASE_FILE), { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM crls').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('certdesk crl --out and schedule --ics', () => {
  it('crl --out refuses an existing file without --force and a missing folder, signing nothing; --force replaces', async () => {
    const { dir, run } = await store();
    const file = join(dir, 'root.crl.pem');
    writeFileSync(file, 'the operator’s own file\n');
    const before = crlRows(dir);

    const refused = await run('crl', '--ca', 'Files Root', '--out', file);
    expect(refused.code).not.toBe(0);
    expect(refused.json).toMatchObject({ error: { code: 'CONFLICT', field: 'out' } });
    expect((refused.json as { error: { message: string } }).error.message).toMatch(/--force/);
    expect(readFileSync(file, 'utf8')).toBe('the operator’s own file\n');

    const missing = join(dir, 'no-such-folder', 'root.crl.pem');
    const noFolder = await run('crl', '--ca', 'Files Root', '--out', missing);
    expect(noFolder.json).toMatchObject({ error: { code: 'NOT_FOUND', field: 'out' } });
    expect(existsSync(join(dir, 'no-such-folder'))).toBe(false);
    expect(crlRows(dir)).toBe(before);

    const forced = await run('crl', '--ca', 'Files Root', '--out', file, '--force');
    expect(forced.code).toBe(0);
    // The refused runs signed nothing, so this is the CA's first CRL.
    expect(forced.json).toMatchObject({ crlNumber: 1, writtenTo: file });
    expect(readFileSync(file, 'utf8')).toMatch(/^-----BEGIN X509 CRL-----/);
    expect((forced.json as CrlView).pem).toBe(readFileSync(file, 'utf8'));
  });

  it('schedule --ics refuses an existing file without --force; --force replaces it', async () => {
    const { dir, run } = await store();
    const ics = join(dir, 'schedule.ics');
    writeFileSync(ics, 'not a calendar\n');
    const refused = await run('schedule', '--ics', ics);
    expect(refused.code).not.toBe(0);
    expect(refused.json).toMatchObject({ error: { code: 'CONFLICT', field: 'ics' } });
    expect(readFileSync(ics, 'utf8')).toBe('not a calendar\n');

    const noFolder = await run('schedule', '--ics', join(dir, 'nowhere', 'schedule.ics'));
    expect(noFolder.json).toMatchObject({ error: { code: 'NOT_FOUND', field: 'ics' } });
    expect(existsSync(join(dir, 'nowhere'))).toBe(false);

    const forced = await run('schedule', '--ics', ics, '--force');
    expect(forced.code).toBe(0);
    expect(readFileSync(ics, 'utf8')).toMatch(/^BEGIN:VCALENDAR/);
  });
});
