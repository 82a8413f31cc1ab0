/**
 * Every rotation mode crosses the air gap (issue 12 §5): on a publisher a CSR-mode rotation sends the
 * workload's new CSR (dropped in its csr-inbox) to the offline signer, and a same-key renewal sends a
 * CSR signed with the predecessor's sealed key. The signer's review says whose key it is; its answer
 * continues each job as in the generated-key mode, down to the sandbox's credentials. openssl checks
 * the successors chain to the signer's root and carry the expected keys. The one mode that cannot
 * cross (keeping the key of a CSR-mode certificate) is refused naming itself and the fix, with nothing changed.
 */
import 'reflect-metadata';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { certificateToPem } from '../../src/main/core/pki/pem.ts';
import { ROTATION_STEP_COUNT, ROTATION_WAIT } from '../../src/shared/contract/index.ts';
import { gapAtSandbox } from '../support/gap-sandbox.ts';
import { openssl } from '../support/openssl.ts';
import { KEY_ARGS, opensslCsr } from '../support/pki.ts';
import { tempDir } from '../support/temp.ts';

const WORKLOAD_DN = '/O=YourOrg/CN=workload-client';

/** The public key openssl reads from a certificate or a CSR file, as PEM. */
function publicKeyOf(kind: 'x509' | 'req', file: string): string {
  const out = openssl([kind, '-in', file, '-pubkey', '-noout']);
  expect(out.status, out.output).toBe(0);
  return out.stdout;
}

describe('a rotation on a publisher in every key mode, across the gap', () => {
  it('sends the workload CSR or the kept key to the signer, shows whose key it is, and finishes both jobs', async () => {
    const { p, gap, addTenant, bindApp, credentials } = await gapAtSandbox();
    const work = tempDir();
    const [kept, keptCancelled] = await gap.issue(p, 'kept-client', 'kept-cancelled');
    // The workload's own key and CSR: the key never reaches certdesk.
    const first = opensslCsr([...KEY_ARGS['ec-p256']], WORKLOAD_DN);
    const asked = await p.offline.requestSignature({ purpose: 'issue', ca: 'Offline Issuing', source: { kind: 'csr', csr: first.csr } });
    await gap.toSigner(p);
    const issued = await gap.toPublisher(p);
    await p.transfer.approve(issued.importId, 'all');
    await gap.closeSigner();
    const workload = await p.getCertificate({ cert: p.offline.requests().find((r) => r.requestId === asked.requestId)!.certificateId! });
    expect(workload.keyStorage).toBe('csr-only');

    await addTenant();
    const keptApp = await bindApp('kept-app', kept!);
    const workloadApp = await bindApp('workload-app', workload);

    // Keeping the key of a CSR-mode certificate cannot cross: certdesk holds no key to sign its CSR with. Nor can CSR
    // mode without an inbox. Both refused before a job, a request, a key or a queued item exists.
    const rows = (table: string) => (p.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    const tables = ['rotation_jobs', 'offline_requests', 'keys', 'transfer_queue', 'certificates'];
    const counted = tables.map(rows);
    await expect(p.rotate({ cert: workload.id, sameKey: true })).rejects.toMatchObject({
      code: 'NO_PRIVATE_KEY',
      field: 'sameKey',
      message: expect.stringContaining(`--kind csr-inbox`),
    });
    await expect(p.rotate({ cert: workload.id })).rejects.toMatchObject({
      code: 'NO_PRIVATE_KEY',
      field: 'cert',
      message: expect.stringContaining(`certdesk target add ${workload.id} --kind csr-inbox --path DIR`),
    });
    expect(tables.map(rows)).toEqual(counted);

    // Same key: the request's CSR is signed with the predecessor's sealed key; no key is made.
    const keyOf = (id: string) => (p.db.prepare('SELECT key_id FROM certificates WHERE id = ?').get(id) as { key_id: string }).key_id;
    const keysBefore = rows('keys');
    const sameJob = await p.rotate({ cert: kept!.id, sameKey: true, verify: false, overlapSeconds: 0 });
    const sameRequest = p.offline.requests().find((r) => r.rotationJobId === sameJob.id)!;
    expect(sameJob.message).toMatch(new RegExp(`^${ROTATION_WAIT.signer} ${sameRequest.requestId}`));
    expect(sameRequest).toMatchObject({ purpose: 'rotate', state: 'queued', keyId: keyOf(kept!.id) });

    // CSR mode: the job waits for the workload's CSR in its inbox, then sends it; certdesk makes no key.
    const inbox = join(work, 'inbox');
    mkdirSync(inbox);
    await p.delivery.targets.add({ cert: workload.id, kind: 'csr-inbox', path: inbox }, inbox, 'the operator');
    const csrJob = await p.rotate({ cert: workload.id, overlapSeconds: 0 });
    expect(csrJob).toMatchObject({ state: 'waiting', step: 0, verify: false });
    expect(csrJob.message).toMatch(new RegExp(`^${ROTATION_WAIT.csr} ${inbox}`));
    expect(p.offline.requests().filter((r) => r.rotationJobId === csrJob.id)).toEqual([]);
    const next = opensslCsr([...KEY_ARGS['ec-p256']], WORKLOAD_DN);
    writeFileSync(join(work, 'next.csr'), next.csr);
    writeFileSync(join(inbox, '.request.csr.tmp'), next.csr);
    renameSync(join(inbox, '.request.csr.tmp'), join(inbox, 'request.csr'));
    const [atSigner] = await p.resumeRotations({ job: csrJob.id });
    const csrRequest = p.offline.requests().find((r) => r.rotationJobId === csrJob.id)!;
    expect(atSigner!.message).toMatch(new RegExp(`^${ROTATION_WAIT.signer} ${csrRequest.requestId}`));
    expect(csrRequest).toMatchObject({ purpose: 'rotate', state: 'queued', keyId: null });
    writeFileSync(join(work, 'sent.csr'), csrRequest.csrPem!);
    expect(publicKeyOf('req', join(work, 'sent.csr'))).toBe(publicKeyOf('req', join(work, 'next.csr')));
    expect(rows('keys')).toBe(keysBefore);

    // A same-key job cancelled while it waits: its request is withdrawn, and the kept key stays (the predecessor signs with it).
    const cancelledJob = await p.rotate({ cert: keptCancelled!.id, sameKey: true, verify: false, overlapSeconds: 0 });
    const cancelledRequest = p.offline.requests().find((r) => r.rotationJobId === cancelledJob.id)!;
    expect(cancelledRequest.keyId).toBe(keyOf(keptCancelled!.id));
    await expect(p.cancelRotations({ job: cancelledJob.id })).resolves.toMatchObject([{ state: 'cancelled' }]);
    expect(rows('keys')).toBe(keysBefore);
    expect(p.db.prepare('SELECT count(*) AS n FROM keys WHERE id = ?').get(keyOf(keptCancelled!.id))).toEqual({ n: 1 });
    expect(p.offline.requests().find((r) => r.requestId === cancelledRequest.requestId)).toMatchObject({
      state: 'refused',
      refusalCode: 'REQUEST_WITHDRAWN',
    });

    // At the signer: the review says whose key each CSR is for (the operator approves both).
    const reviewed = new Map<string, Record<string, string>>();
    await gap.toSigner(p, {
      refuse: (kind, details) => {
        if (kind === 'sign-request') reviewed.set(details.rotationJob!, details);
        return null;
      },
    });
    expect(reviewed.get(csrJob.id)).toMatchObject({
      purpose: 'rotate',
      key: 'ECDSA P-256',
      keyHolder: 'key held by the workload (CSR mode): it never reaches certdesk',
      subject: expect.stringContaining('workload-client'),
    });
    expect(reviewed.get(sameJob.id)).toMatchObject({
      purpose: 'rotate',
      keyHolder: expect.stringContaining("the predecessor's key, kept"),
    });
    for (const details of reviewed.values()) expect(details.problems).toBeUndefined();
    const answer = await gap.toPublisher(p);
    await gap.closeSigner();
    const issuedFor = (job: string) => answer.items.find((i) => i.kind === 'issued-certificate' && i.details.rotationJob === job)!;
    expect(issuedFor(csrJob.id).details.key).toBe('held by the workload (CSR mode)');
    expect(issuedFor(sameJob.id).details.key).toBe("the predecessor's key, kept (sealed here)");

    // Approving the answers continues both jobs to the end, exactly as in the generated-key mode.
    expect((await p.transfer.approve(answer.importId, 'all')).refused).toEqual([]);
    const root = certificateToPem(p.authorities.get(p.authorities.list().find((a) => a.name === 'Offline Root')!.id).certDer);
    writeFileSync(join(work, 'root.pem'), root);
    const verify = (leaf: string, chain: string) => {
      const out = openssl(['verify', '-CAfile', join(work, 'root.pem'), '-untrusted', chain, leaf]);
      expect(out.output).toContain(`${leaf}: OK`);
    };
    for (const job of [sameJob, csrJob]) {
      const done = p.rotations.get(job.id);
      expect(done, JSON.stringify(done.journal, null, 2)).toMatchObject({ state: 'done', step: ROTATION_STEP_COUNT });
    }

    // CSR mode: the successor is answered in the inbox, for the workload CSR's key, and chains to the signer's root.
    const csrSuccessor = await p.getCertificate({ cert: p.rotations.get(csrJob.id).successorId! });
    expect(csrSuccessor).toMatchObject({ keyStorage: 'csr-only', replacesId: workload.id, subject: workload.subject });
    const issuedDir = join(inbox, 'issued');
    expect(readFileSync(join(issuedDir, 'cert.pem'), 'utf8')).toBe(csrSuccessor.pem);
    expect(publicKeyOf('x509', join(issuedDir, 'cert.pem'))).toBe(publicKeyOf('req', join(work, 'next.csr')));
    verify(join(issuedDir, 'cert.pem'), join(issuedDir, 'chain.pem'));
    expect(existsSync(join(inbox, 'request.csr'))).toBe(false);
    expect(await credentials(workloadApp)).toEqual([csrSuccessor.sha256Base64url]);

    // Same key: the successor shares the predecessor's sealed key, and chains to the signer's root.
    const sameSuccessor = await p.getCertificate({ cert: p.rotations.get(sameJob.id).successorId! });
    expect(sameSuccessor).toMatchObject({ keyStorage: 'sealed', replacesId: kept!.id, subject: kept!.subject });
    expect(keyOf(sameSuccessor.id)).toBe(keyOf(kept!.id));
    writeFileSync(join(work, 'kept-old.pem'), kept!.pem);
    writeFileSync(join(work, 'kept-new.pem'), sameSuccessor.pem);
    writeFileSync(join(work, 'kept-chain.pem'), sameSuccessor.chainPem);
    expect(publicKeyOf('x509', join(work, 'kept-new.pem'))).toBe(publicKeyOf('x509', join(work, 'kept-old.pem')));
    verify(join(work, 'kept-new.pem'), join(work, 'kept-chain.pem'));
    expect(await credentials(keptApp)).toEqual([sameSuccessor.sha256Base64url]);
    expect(rows('keys')).toBe(keysBefore);
    expect((await p.verifyAudit()).ok).toBe(true);
  });
});
