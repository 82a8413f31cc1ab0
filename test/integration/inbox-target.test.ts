/**
 * A csr-inbox target wired end to end on a real SQLite store and a real folder: the workload's side
 * is openssl. Added, tested, read through the DeliveryPort (empty, refused into rejected/ with its
 * reason, accepted), signed as the lineage's successor, answered in issued/ (openssl verifies it),
 * idempotent, never a key; and the web host may test targets but never add one.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI_TARGET_APPROVER } from '../../src/main/core/delivery/target-approver.ts';
import { createHandlers, dispatch } from '../../src/main/host/dispatch.ts';
import type { Channel, ChannelInput, ChannelOutput, Result, TargetTestResult } from '../../src/shared/contract/index.ts';
import { openssl } from '../support/openssl.ts';
import { KEY_ARGS, opensslCsr, withIssuingCa } from '../support/pki.ts';
import { startSshd, type RunningSshd } from '../support/sshd.ts';
import { tempDir } from '../support/temp.ts';
import { webRpc } from '../support/web-rpc.ts';

const SUBJECT = '/CN=inbox-worker';

async function rig() {
  const t = await withIssuingCa();
  const first = opensslCsr([...KEY_ARGS['ec-p256']], SUBJECT);
  const cert = await t.service.issue({
    ca: 'Test Issuing',
    subject: { commonName: 'inbox-worker' },
    source: { kind: 'csr', csr: first.csr },
  });
  const cli = createHandlers(t.service, { targetApprover: CLI_TARGET_APPROVER });
  const web = createHandlers(t.service, {});
  const call = async <C extends Channel>(channel: C, input: ChannelInput<C>, handlers = cli): Promise<ChannelOutput<C>> => {
    const result = (await dispatch(handlers, channel, input, () => {})) as Result<ChannelOutput<C>>;
    if (!result.ok) throw Object.assign(new Error(result.error.message), result.error);
    return result.value;
  };
  const count = (table: string) => (t.service.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  const rootPath = join(tempDir(), 'root.pem');
  writeFileSync(rootPath, t.service.listAuthorities().find((a) => a.name === 'Test Root')!.pem);
  return { t, cert, oldKey: first.keyPath, call, count, web, rootPath };
}

/** The workload's side of the contract: a temporary name in the inbox, then a rename. */
function drop(inbox: string, csr: string): void {
  const tmp = join(inbox, '.request.csr.tmp');
  writeFileSync(tmp, csr);
  renameSync(tmp, join(inbox, 'request.csr'));
}

function pubkeyOfKey(path: string): string {
  return openssl(['pkey', '-in', path, '-pubout']).stdout;
}

function pubkeyOfCert(path: string): string {
  return openssl(['x509', '-in', path, '-noout', '-pubkey']).stdout;
}

const running: RunningSshd[] = [];
afterEach(async () => {
  for (const sshd of running.splice(0)) await sshd.stop();
});

describe('a csr-inbox target', () => {
  it('reads the workload CSR, refuses bad ones into rejected/, answers the successor in issued/, never a key', async () => {
    const { t, cert, oldKey, call, count, rootPath } = await rig();
    const inbox = join(tempDir(), 'inbox');
    const { target } = await call('targets:add', { cert: cert.id, kind: 'csr-inbox', path: inbox });
    expect(readdirSync(inbox).sort()).toEqual(['issued', 'rejected']);
    const tested = await call('targets:test', { target: target.id });
    expect(tested).toMatchObject({ ok: true, currentSerial: null });
    expect(tested.checks.find((c) => c.name === 'request')?.detail).toContain('no request pending');

    // Delivering the current certificate answers the inbox with it: the certificate and its chain, no key.
    const delivered = await call('certs:deliver', { cert: cert.id });
    expect(delivered).toMatchObject({ outcome: 'done', deliveries: [{ status: 'done', targetId: target.id }] });
    expect(readdirSync(join(inbox, 'issued')).sort()).toEqual(['cert.pem', 'chain.pem', 'fullchain.pem']);
    expect((await call('certs:deliver', { cert: cert.id })).outcome).toBe('skip');

    expect(await t.service.delivery.inboxCsr(cert.id)).toBeNull();

    // A CSR with another subject, then one with the old key: each refused into rejected/ with its reason, nothing issued.
    const certificates = count('certificates');
    const issuedBefore = readFileSync(join(inbox, 'issued', 'cert.pem'), 'utf8');
    const cases: Array<[string, string]> = [
      [opensslCsr([...KEY_ARGS['ec-p256']], '/CN=someone-else').csr, 'CSR_SUBJECT_MISMATCH'],
      [openssl(['req', '-new', '-key', oldKey, '-subj', SUBJECT]).stdout, 'CSR_KEY_REUSED'],
    ];
    for (const [csr, code] of cases) {
      drop(inbox, csr);
      expect(await t.service.delivery.inboxCsr(cert.id)).toBeNull();
      expect(existsSync(join(inbox, 'request.csr'))).toBe(false);
      const reasons = readdirSync(join(inbox, 'rejected')).filter((n) => n.endsWith('.reason'));
      const reason = reasons.map((n) => readFileSync(join(inbox, 'rejected', n), 'utf8')).find((text) => text.startsWith(code));
      expect(reason, code).toBeDefined();
    }
    expect(readdirSync(join(inbox, 'rejected'))).toHaveLength(4);
    expect(count('certificates')).toBe(certificates);
    expect(readFileSync(join(inbox, 'issued', 'cert.pem'), 'utf8')).toBe(issuedBefore);

    // The workload's new key and CSR.
    const next = opensslCsr([...KEY_ARGS['ec-p256']], SUBJECT);
    drop(inbox, next.csr);
    const pending = await call('targets:test', { target: target.id });
    expect(pending.checks.find((c) => c.name === 'request')?.detail).toContain('request.csr is waiting');
    const found = await t.service.delivery.inboxCsr(cert.id);
    expect(found).toMatchObject({ targetId: target.id, csrPem: expect.stringContaining('BEGIN CERTIFICATE REQUEST') });
    expect(existsSync(join(inbox, 'request.csr'))).toBe(true);

    const successor = await t.service.issuance.renewFromCsr(cert.id, found!.csrPem);
    expect(successor.replacesId).toBe(cert.id);
    // Signed but not answered yet (a crash here): reading again neither refuses the request as a reused key nor signs twice.
    expect(await t.service.delivery.inboxCsr(cert.id)).toBeNull();
    expect(existsSync(join(inbox, 'request.csr'))).toBe(true);
    expect(readdirSync(join(inbox, 'rejected'))).toHaveLength(4);

    await t.service.delivery.answerInbox(target.id, successor.id);
    const issued = join(inbox, 'issued');
    expect(readdirSync(issued).sort()).toEqual([
      'cert.pem',
      'chain.pem',
      'fullchain.pem',
      `request-${successor.serialHex.toLowerCase()}.csr`,
    ]);
    expect(existsSync(join(inbox, 'request.csr'))).toBe(false);
    const verified = openssl(['verify', '-CAfile', rootPath, '-untrusted', join(issued, 'chain.pem'), join(issued, 'cert.pem')]);
    expect(verified.output).toContain(': OK');
    expect(
      openssl(['verify', '-CAfile', rootPath, '-untrusted', join(issued, 'fullchain.pem'), join(issued, 'fullchain.pem')]).output,
    ).toContain(': OK');
    expect(pubkeyOfCert(join(issued, 'cert.pem'))).toBe(pubkeyOfKey(next.keyPath));
    expect(openssl(['x509', '-in', join(issued, 'cert.pem'), '-noout', '-subject', '-nameopt', 'compat']).stdout).toContain(
      'CN=inbox-worker',
    );

    // Again: nothing changes; delivering the successor finds it already answered.
    const answered = readFileSync(join(issued, 'cert.pem'), 'utf8');
    await t.service.delivery.answerInbox(target.id, successor.id);
    expect((await call('certs:deliver', { cert: successor.id })).deliveries).toMatchObject([{ status: 'skipped' }]);
    expect(readFileSync(join(issued, 'cert.pem'), 'utf8')).toBe(answered);
    const history = await call('targets:history', { target: target.id });
    expect(history.map((d) => d.status)).toEqual(['skipped', 'skipped', 'done', 'skipped', 'done']);
    expect((await call('targets:test', { target: target.id })).currentSerial).toBe(successor.serialHex.toLowerCase());

    // The predecessor is never answered again over its successor.
    await expect(t.service.delivery.answerInbox(target.id, cert.id)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(readFileSync(join(issued, 'cert.pem'), 'utf8')).toBe(answered);
    const all = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? all(join(dir, e.name)) : [readFileSync(join(dir, e.name), 'utf8')],
      );
    expect(all(inbox).some((text) => text.includes('PRIVATE KEY'))).toBe(false);
  });

  it('the web host tests ssh and csr-inbox targets but never adds one', async () => {
    const { cert, call, count, web } = await rig();
    const sshd = await startSshd();
    running.push(sshd);
    const remote = join(tempDir('certdesk-remote-'), 'tls');
    mkdirSync(remote);
    const ssh = await call('targets:add', {
      cert: cert.id,
      kind: 'ssh',
      host: sshd.host,
      port: sshd.port,
      user: sshd.user,
      path: remote,
      hostKey: sshd.hostKeyFingerprint,
    });
    sshd.authorize([ssh.authorizedKey!]);
    const inbox = await call('targets:add', { cert: cert.id, kind: 'csr-inbox', path: join(tempDir(), 'inbox') });
    const rpc = await webRpc(web);
    for (const id of [ssh.target.id, inbox.target.id]) {
      const answer = await rpc('targets:test', { target: id });
      expect(answer, id).toMatchObject({ ok: true, value: { ok: true, target: id } });
      expect((answer.value as TargetTestResult).checks.map((c) => c.name)).toContain('layout');
    }
    const targets = count('delivery_targets');
    const added = await rpc('targets:add', { cert: cert.id, kind: 'csr-inbox', path: join(tempDir(), 'other') });
    expect(added).toMatchObject({ ok: false, error: { code: 'TARGET_APPROVAL_UNAVAILABLE' } });
    expect(count('delivery_targets')).toBe(targets);
  });
});
