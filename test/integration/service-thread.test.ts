import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import Database from 'better-sqlite3';
import { auditAnchorAccount } from '../../src/main/core/secrets/audit-anchor.ts';
import { auditCheckpointAccount, auditKeyAccount, reloadApprovalsAccount } from '../../src/main/core/secrets/audit-key.ts';
import { KeychainSecretStore } from '../../src/main/core/secrets/keychain-secret-store.ts';
import { startServiceThread } from '../../src/main/web/service-thread.ts';
import type { CertdeskEvent, Result } from '../../src/shared/contract/index.ts';
import { openssl } from '../support/openssl.ts';
import { tempDir } from '../support/temp.ts';

const PASS = 'worker thread passphrase';

/** The store's keychain items, removed after the test (the worker wrote them through the real Secret Service). */
function cleanKeychain(dataDir: string) {
  onTestFinished(async () => {
    const keychain = new KeychainSecretStore(10_000);
    let storeId: string | undefined;
    try {
      const db = new Database(join(dataDir, 'certdesk.sqlite3'), { readonly: true });
      storeId = (db.prepare("SELECT value FROM settings WHERE key = 'store_id'").get() as { value: string } | undefined)?.value;
      db.close();
    } catch {
      // No store was created.
    }
    if (storeId)
      for (const account of [`dek:${storeId}`, auditKeyAccount(storeId), auditCheckpointAccount(storeId), reloadApprovalsAccount(storeId)])
        await keychain.delete(account).catch(() => false);
    await keychain.delete(auditAnchorAccount(dataDir)).catch(() => false);
  });
}

function encryptedCa() {
  const dir = tempDir();
  const key = join(dir, 'ca.key');
  const cert = join(dir, 'ca.pem');
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', key]);
  const req = openssl(
    ['req', '-x509', '-new', '-key', key, '-subj', '/CN=Worker Imported Root', '-days', '3650'].concat([
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
      '-out',
      cert,
    ]),
  );
  if (req.status !== 0) throw new Error(req.output);
  const keyPem = openssl(['pkcs8', '-topk8', '-in', key, '-v2', 'aes-256-cbc', '-passout', `pass:${PASS}`]).stdout;
  return { certPem: readFileSync(cert, 'utf8'), keyPem };
}

const value = <T>(result: Result<unknown>) => {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
};

describe('web mode: the service in a worker thread', () => {
  it('opens SQLite and the keychain in the worker; passphrase lock and unlock, an encrypted import, events, and a clean stop', async () => {
    const dataDir = tempDir();
    cleanKeychain(dataDir);
    const events: CertdeskEvent[] = [];
    const thread = await startServiceThread({
      start: { dataDir, mode: 'web', backgroundNotices: false },
      onEvent: (event) => events.push(event),
    });
    let stopped = false;
    onTestFinished(async () => {
      if (!stopped) await thread.stop();
    });
    const { call } = thread.client;

    expect(value(await call('vault:init', { protection: 'passphrase', passphrase: PASS }))).toMatchObject({
      protection: 'passphrase',
      state: 'ready',
    });
    expect(value(await call('ca:create', { name: 'Worker Root', progressId: 'w1' }))).toMatchObject({ name: 'Worker Root' });
    expect(events.some((e) => e.type === 'progress' && e.progressId === 'w1')).toBe(true);

    expect(value(await call('vault:lock', {}))).toMatchObject({ state: 'locked' });
    const refused = await call('ca:create', { name: 'While Locked', parent: 'Worker Root' });
    expect(refused.ok).toBe(false);
    const wrong = await call('vault:unlock', { passphrase: 'not the passphrase at all' });
    expect(wrong).toMatchObject({ ok: false, error: { field: 'passphrase' } });
    expect(value(await call('vault:unlock', { passphrase: PASS }))).toMatchObject({ state: 'ready' });

    // The encrypted key's decryption runs in its own worker, started from the service's thread.
    const imported = value<{ name: string }>(await call('ca:import', { ...encryptedCa(), keyPassphrase: PASS }));
    expect(imported.name).toBe('Worker Imported Root');
    expect(
      value<Array<{ name: string }>>(await call('ca:list', {}))
        .map((ca) => ca.name)
        .sort(),
    ).toEqual(['Worker Imported Root', 'Worker Root']);
    expect(value(await call('audit:verify', {}))).toMatchObject({ ok: true, problems: [] });

    await thread.stop();
    stopped = true;
    // The store was closed by the worker: another connection reads every row it wrote.
    const db = new Database(join(dataDir, 'certdesk.sqlite3'), { readonly: true });
    expect((db.prepare('SELECT count(*) AS n FROM authorities').get() as { n: number }).n).toBe(2);
    db.close();
    expect(await call('ca:list', {})).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });
});
