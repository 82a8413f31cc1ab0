/**
 * The flight check as the app and the CLI run it: the tenant's diagnostics settings, the bound
 * certificate from the inventory (its key unsealed only in main), and the DN Auth0 registered read
 * back through the Management API — against the sandbox behind real nginx.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/main/cli/program.ts';
import { createHandlers, dispatch } from '../../src/main/host/dispatch.ts';
import type { DiagnosticFilesResult, DiagnosticsReport } from '../../src/shared/contract/index.ts';
import { API, DOMAIN, hostMappedFetch, startDiagnosticsRig, summary, type DiagnosticsRig } from '../support/diagnostics-rig.ts';
import { openssl } from '../support/openssl.ts';
import { openTestService } from '../support/service.ts';
import { tempDir } from '../support/temp.ts';

/** The rig's certdesk store, reopened with a fetch that reaches the sandbox by its tenant and custom domains, with a tenant profile and a binding. */
async function withTenant(rig: DiagnosticsRig) {
  rig.t.service.close();
  const fetchFn = hostMappedFetch({ [DOMAIN]: rig.sandbox.sandbox.url, [rig.sandbox.sandbox.domain]: rig.sandbox.sandbox.url });
  const t = openTestService({ dataDir: rig.t.dataDir, secretStore: rig.t.secretStore, fetch: fetchFn });
  const { clientId, clientSecret } = rig.sandbox.sandbox.managementClient!;
  await t.service.addTenant({
    name: 'Sandbox',
    environment: 'development',
    domain: rig.sandbox.sandbox.domain,
    customDomain: DOMAIN,
    clientId,
    clientSecret,
  });
  await t.service.bind({ cert: rig.client.id, tenant: 'Sandbox', clientId: rig.app.clientId, api: API, pop: true });
  return { t, fetchFn, clientSecret };
}

describe('diagnostics:run and certdesk diagnose', () => {
  it('runs every stage from the stored settings with the bound certificate, reporting each stage as an event', async () => {
    const rig = await startDiagnosticsRig({ managedKey: true });
    const { t, fetchFn } = await withTenant(rig);
    const handlers = createHandlers(t.service);
    const saved = await dispatch(
      handlers,
      'tenants:diagnostics',
      { tenant: 'Sandbox', settings: { edgeAddress: rig.edgeAddress, edgeCaPem: rig.edgeCaPem } },
      () => {},
    );
    expect(saved).toMatchObject({ ok: true, value: { diagnostics: { edgeAddress: rig.edgeAddress } } });

    const result = await dispatch(handlers, 'diagnostics:run', { tenant: 'Sandbox', clientId: rig.app.clientId, runId: 'run-1' }, () => {});
    if (!result.ok) throw new Error(result.error.message);
    const report = result.value as DiagnosticsReport;
    expect(summary(report)).toEqual({
      discovery: 'pass',
      'edge-handshake': 'pass',
      token: 'pass',
      signature: 'pass',
      binding: 'pass',
      'reject-no-cert': 'pass',
      'reject-foreign-cert': 'pass',
      'resource-server': 'skip NO_RESOURCE_URL',
    });
    expect(report.audience).toBe(API);
    expect(report.token?.payload.cnf).toEqual({ 'x5t#S256': rig.client.sha256Base64url });
    const events = t.events.filter((e) => e.type === 'diagnostic-stage');
    expect(events.map((e) => (e.type === 'diagnostic-stage' ? `${e.runId}:${e.index}:${e.stage.id}` : ''))).toEqual(
      report.stages.map((s, i) => `run-1:${i}:${s.id}`),
    );
    const audit = t.service.audit.list(0, 5).items.find((e) => e.action === 'diagnostics.run');
    expect(audit?.details).toMatchObject({ ok: true, thumbprintSha256: rig.client.sha256Base64url });

    // The CLI prints the same stages with their commands, and exits 0.
    let stdout = '';
    const code = await runCli(['--data-dir', rig.t.dataDir, 'diagnose', '--tenant', 'Sandbox', '--client', rig.app.clientId], {
      stdout: (x) => (stdout += x),
      stderr: () => {},
      env: {},
      fetch: fetchFn,
      secretStore: rig.t.secretStore,
    });
    expect(code, stdout).toBe(0);
    expect(stdout).toMatch(/3\. ✔ pass {2}Token request with the client certificate/);
    // The resource server was skipped (no URL): the headline counts it and names what was not checked.
    expect(stdout).toContain('7 of 8 stages passed, 1 skipped: the binding works');
    expect(stdout).toContain('Not checked (skipped): The resource server refuses the token without the certificate.');
    expect(stdout).not.toContain('All stages passed');
    expect(stdout).toContain('try:   curl');

    // The files the commands name: no caller names the folder; the desktop app's folder dialog does.
    const dir = tempDir();
    const passphrase = 'flight check files 2026';
    const request = { tenant: 'Sandbox', clientId: rig.app.clientId };
    const short = await dispatch(handlers, 'diagnostics:files', { ...request, passphrase: 'short' }, () => {});
    expect(short).toMatchObject({ ok: false, error: { code: 'PASSPHRASE_TOO_SHORT', field: 'passphrase' } });
    const audited = () => t.service.audit.list(0, 1000).total;
    const before = audited();
    const asked: string[] = [];
    const desktop = createHandlers(t.service, {
      saveDialog: {
        chooseSavePath: () => Promise.reject(new Error('the files go to a folder')),
        chooseFolder: ({ title }) => {
          asked.push(title);
          return Promise.resolve(dir);
        },
      },
    });
    const named = await dispatch(desktop, 'diagnostics:files', { ...request, dir: join(dir, 'evil'), passphrase }, () => {});
    expect(named).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', field: 'dir' } });
    expect(asked).toEqual([]);
    expect(readdirSync(dir)).toEqual([]);
    expect(audited()).toBe(before);
    const written = await dispatch(desktop, 'diagnostics:files', { ...request, passphrase }, () => {});
    if (!written.ok) throw new Error(written.error.message);
    const delivered = written.value as DiagnosticFilesResult;
    expect(asked).toHaveLength(1);
    expect(delivered.dir).toBe(dir);
    expect(delivered.contents).toBeUndefined();
    expect(delivered.files.map((f) => basename(f)).sort()).toEqual([
      'ca-bundle.pem',
      'client-key.pem',
      'client.pem',
      'edge-ca.pem',
      'foreign-key.pem',
      'foreign.pem',
    ]);
    expect(statSync(join(dir, 'client-key.pem')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'client.pem'), 'utf8')).toContain('BEGIN CERTIFICATE');
    expect(readFileSync(join(dir, 'client-key.pem'), 'utf8')).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    const keyPublic = openssl(['pkey', '-in', join(dir, 'client-key.pem'), '-passin', `pass:${passphrase}`, '-pubout']);
    expect(keyPublic.status, keyPublic.output).toBe(0);
    expect(keyPublic.stdout).toBe(openssl(['x509', '-in', join(dir, 'client.pem'), '-noout', '-pubkey']).stdout);
    // The same folder again: its files are never replaced on the dialog's word.
    const keyBefore = readFileSync(join(dir, 'client-key.pem'), 'utf8');
    const again = await dispatch(desktop, 'diagnostics:files', { ...request, passphrase }, () => {});
    expect(again).toMatchObject({ ok: false, error: { code: 'CONFLICT', field: 'dir' } });
    expect(readFileSync(join(dir, 'client-key.pem'), 'utf8')).toBe(keyBefore);
    expect(audited()).toBe(before + 1);

    // The CLI keeps --files DIR, the operator's own choice: no parent made, no file replaced without --force.
    const cli = async (...args: string[]) => {
      let out = '';
      const exit = await runCli(
        ['--data-dir', rig.t.dataDir, '--json', 'diagnose', '--tenant', 'Sandbox', '--client', rig.app.clientId, ...args],
        {
          stdout: (x) => (out += x),
          stderr: () => {},
          env: { CERTDESK_EXPORT_PASSPHRASE: passphrase },
          fetch: fetchFn,
          secretStore: rig.t.secretStore,
        },
      );
      return { exit, json: JSON.parse(out) as { error?: unknown; files?: { dir: string; files: string[] } } };
    };
    const parent = tempDir();
    const noParent = await cli('--files', join(parent, 'evil', 'flight'));
    expect(noParent).toMatchObject({ exit: 1, json: { error: { code: 'NOT_FOUND', field: 'files' } } });
    expect(readdirSync(parent)).toEqual([]);
    const over = await cli('--files', dir);
    expect(over.json).toMatchObject({ error: { code: 'CONFLICT', field: 'files', message: expect.stringContaining('--force') } });
    expect(readFileSync(join(dir, 'client-key.pem'), 'utf8')).toBe(keyBefore);
    // Both refused before the flight check ran: no files handed out, none recorded.
    expect(audited()).toBe(before + 1);
    const fresh = await cli('--files', join(parent, 'flight'));
    expect(fresh.exit).toBe(0);
    expect(fresh.json.files?.files.map((f) => basename(f)).sort()).toHaveLength(6);
    expect(statSync(join(parent, 'flight', 'client-key.pem')).mode & 0o777).toBe(0o600);
    const forced = await cli('--files', dir, '--force');
    expect(forced.exit).toBe(0);
    expect(readFileSync(join(dir, 'client-key.pem'), 'utf8')).not.toBe(keyBefore);
    expect(statSync(join(dir, 'client-key.pem')).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).sort()).toEqual(delivered.files.map((f) => basename(f)).sort());
    // The token stage's command, run by hand with curl from that folder, gets a token.
    const tokenCommand = report.stages.find((s) => s.id === 'token')!.curl!;
    const { stdout: curlOut } = await promisify(execFile)('sh', ['-c', tokenCommand], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, CLIENT_KEY_PASSPHRASE: passphrase },
    });
    expect(curlOut).toContain('access_token');
  });

  it('names a DN mismatch from the DN Auth0 holds, read through the Management API', async () => {
    const rig = await startDiagnosticsRig({ managedKey: true, credentialSubjectDn: 'C=US\nO=YourOrg\nCN=app-client-typo' });
    const { t } = await withTenant(rig);
    t.service.tenants.setDiagnostics('Sandbox', { edgeAddress: rig.edgeAddress, edgeCaPem: rig.edgeCaPem });
    const report = await t.service.diagnostics.run({ tenant: 'Sandbox', clientId: rig.app.clientId });
    expect(summary(report).token).toBe('fail DN_MISMATCH');
    expect(report.ok).toBe(false);
  });

  it('refuses, by field, what it cannot run: no audience, a certificate whose key certdesk never held', async () => {
    const rig = await startDiagnosticsRig();
    const { t } = await withTenant(rig);
    const noKey = await t.service.diagnostics.run({ tenant: 'Sandbox', clientId: rig.app.clientId }).catch((e: unknown) => e);
    expect(noKey).toMatchObject({ code: 'NO_PRIVATE_KEY', field: 'cert' });
    const managed = await t.service.issue({ ca: 'Test Issuing', subject: { commonName: 'other' }, source: { kind: 'generated' } });
    const noAudience = await t.service.diagnostics
      .run({ tenant: 'Sandbox', clientId: 'some-app', cert: managed.id })
      .catch((e: unknown) => e);
    expect(noAudience).toMatchObject({ code: 'VALIDATION', field: 'audience' });
  });
});
