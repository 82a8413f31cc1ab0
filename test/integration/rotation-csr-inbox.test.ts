/**
 * A CSR-mode certificate (its key never left the workload) rotates through its csr-inbox target:
 * the job waits, visibly, for the workload's new CSR, issues the successor from it with the
 * predecessor's subject, and answers it in the inbox's issued/ folder. Without an inbox it is refused.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rotationNotice } from '../../src/main/host/background.ts';
import { ROTATION_STEP_COUNT, ROTATION_WAIT, rotationStep } from '../../src/shared/contract/index.ts';
import { KEY_ARGS, opensslCsr } from '../support/pki.ts';
import { credentialThumbprints, rotationRig } from '../support/rotation-rig.ts';
import { FolderDelivery } from '../support/rotation-ports.ts';
import { tempDir } from '../support/temp.ts';

/** What the workload does: a new key and CSR, written to a temporary name, then renamed into the inbox. */
function dropCsr(inbox: string, subject: string): { keyPath: string } {
  const { csr, keyPath } = opensslCsr([...KEY_ARGS['ec-p256']], subject);
  writeFileSync(join(inbox, '.request.csr.tmp'), csr);
  renameSync(join(inbox, '.request.csr.tmp'), join(inbox, 'request.csr'));
  return { keyPath };
}

const publicKeyOf = (args: string[]) => {
  const out = spawnSync('openssl', args, { encoding: 'utf8' });
  expect(out.status, out.stderr).toBe(0);
  return out.stdout;
};

describe('rotation of a CSR-mode certificate through its csr-inbox', () => {
  it('is refused without an inbox, naming the fix; with one it waits for the CSR, then issues from it and answers the inbox', async () => {
    let delivery: FolderDelivery | undefined;
    // managedKey false: the rig's client certificate was signed from an openssl CSR, certdesk holds no key.
    const r = await rotationRig({ managedKey: false, rotationPorts: (ctx) => ({ delivery: (delivery = new FolderDelivery(ctx)) }) });
    const old = r.rig.client;
    expect(old.keyStorage).toBe('csr-only');

    await expect(r.t.service.rotate({ cert: old.id, overlapSeconds: 0 })).rejects.toMatchObject({
      code: 'NO_PRIVATE_KEY',
      message: expect.stringContaining(`certdesk target add ${old.id} --kind csr-inbox --path DIR`),
    });
    expect(r.t.service.rotations.list()).toEqual([]);

    const inbox = tempDir();
    mkdirSync(inbox, { recursive: true });
    delivery!.inboxes.set(old.id, inbox);
    expect(r.t.service.rotations.preview(old.id)).toMatchObject({ csrInbox: inbox });
    const before = r.rig.sandbox.records.filter((x) => x.method !== 'GET').length;
    const waiting = await r.t.service.rotate({ cert: old.id, overlapSeconds: 0 });
    expect(waiting).toMatchObject({ state: 'waiting', step: 0, successorId: null, verify: false });
    expect(waiting.message).toMatch(new RegExp(`^${ROTATION_WAIT.csr} ${inbox}`));
    expect(r.t.events.map(rotationNotice).filter((n) => n?.title === "Rotation waiting for the workload's CSR")).toHaveLength(1);
    // Asked again: still waiting, one journal row, nothing at the tenant.
    expect((await r.t.service.resumeRotations({}))[0]).toMatchObject({ state: 'waiting', step: 0 });
    expect(r.t.service.rotations.get(waiting.id).journal.filter((e) => e.phase === 'wait')).toHaveLength(1);
    expect(r.rig.sandbox.records.filter((x) => x.method !== 'GET').length).toBe(before);

    // A CSR for another subject is refused: the successor keeps the predecessor's.
    dropCsr(inbox, '/C=US/O=YourOrg/CN=someone-else');
    const refused = (await r.t.service.resumeRotations({}))[0]!;
    expect(refused).toMatchObject({ state: 'failed', step: 0, successorId: null });
    expect(refused.message).toContain('not the predecessor');
    expect(r.t.service.db.prepare('SELECT count(*) AS n FROM certificates WHERE replaces_id = ?').get(old.id)).toEqual({ n: 0 });

    const { keyPath } = dropCsr(inbox, '/C=US/O=YourOrg/CN=app-client-prod');
    const [done] = await r.t.service.resumeRotations({ job: waiting.id });
    expect(done, done?.message ?? '').toMatchObject({ state: 'done', step: ROTATION_STEP_COUNT });
    const successor = await r.t.service.getCertificate({ cert: done!.successorId! });
    expect(successor).toMatchObject({ keyStorage: 'csr-only', subject: old.subject });
    // Issued for the workload's new key (openssl compares), answered in issued/, the request consumed.
    const answered = join(inbox, 'issued', 'cert.pem');
    expect(existsSync(answered)).toBe(true);
    expect(readFileSync(answered, 'utf8').replace(/\s/g, '')).toBe(successor.pem.replace(/\s/g, ''));
    expect(publicKeyOf(['x509', '-in', answered, '-noout', '-pubkey'])).toBe(publicKeyOf(['pkey', '-in', keyPath, '-pubout']));
    expect(existsSync(join(inbox, 'request.csr'))).toBe(false);
    expect(delivery!.answered).toEqual([{ targetId: `inbox-${old.id}`, certificateId: successor.id }]);
    expect(done!.journal.find((e) => e.step === rotationStep('deliver') && e.phase === 'end')?.detail).toContain(
      "answered the workload's CSR",
    );
    expect(done!.journal.find((e) => e.step === rotationStep('verify') && e.phase === 'skip')?.detail).toContain('CSR mode');
    expect(await credentialThumbprints(r.rig)).toEqual([successor.sha256Base64url]);
  });
});
