/**
 * Rotation across the air gap (issue 12 §5), end to end with real parts: a publisher rotates a bound
 * certificate, the job waits at the offline signer (a certdesk with no network, through the real CLI),
 * the bundle crosses both ways, and approving the answer continues the job: bound at the sandbox
 * behind real nginx, verified with a real token, the old credential removed and its revocation asked
 * of the signer (rotation-gap-refusals.test.ts carries that one across). Restarts while waiting and after the approval resume where the job stood.
 */
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { certificateToPem } from '../../src/main/core/pki/pem.ts';
import { ROTATION_STEP_COUNT, ROTATION_WAIT, rotationStep } from '../../src/shared/contract/index.ts';
import { credentialThumbprints, startGapRig, type GapRig } from '../support/gap-rig.ts';
import { openssl } from '../support/openssl.ts';

function count(rig: GapRig, table: string): number {
  return (rig.publisher.service.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}

/** The publisher's process ends and a new one opens the same folder. */
async function restartPublisher(rig: GapRig): Promise<void> {
  rig.publisher.service.close();
  await rig.publisher.service.audit.settle();
  rig.publisher.reopen();
}

describe('a rotation on a publisher, across the gap', () => {
  it('waits at the signer, survives restarts, and completes once the answer is approved', async () => {
    const rig = await startGapRig();
    const p = () => rig.publisher.service;
    const old = rig.client;
    expect(await credentialThumbprints(rig)).toEqual([old.sha256Base64url]);

    // 1. The rotation's issue step asks the signer: a request with a key made and sealed here, and the job waits.
    const keysBefore = count(rig, 'keys');
    const waiting = await p().rotate({ cert: old.id, overlapSeconds: 0 });
    expect(waiting, waiting.message ?? '').toMatchObject({ state: 'waiting', step: 0, successorId: null });
    const request = p()
      .offline.requests()
      .find((r) => r.rotationJobId === waiting.id)!;
    expect(request).toMatchObject({ kind: 'sign-request', purpose: 'rotate', state: 'queued', predecessorId: old.id });
    expect(request.keyId).toEqual(expect.any(String));
    expect(count(rig, 'keys')).toBe(keysBefore + 1);
    expect(waiting.message).toBe(
      `${ROTATION_WAIT.signer} ${request.requestId}: export a bundle (certdesk transfer export --out FILE), carry it to the signer, and import its answer here (certdesk transfer import FILE, then certdesk transfer approve IMPORT --all)`,
    );
    expect(waiting.journal.map((e) => `${e.step} ${e.phase}`)).toEqual(['1 begin', '1 wait']);
    // Nothing changed at Auth0 while the job waits.
    expect(await credentialThumbprints(rig)).toEqual([old.sha256Base64url]);

    // 2. Restarted while waiting: the job resumes to the same wait, with no second request and no second wait entry.
    await restartPublisher(rig);
    const resumed = await p().resumeRotations({});
    expect(resumed.map((j) => [j.id, j.state, j.step])).toEqual([[waiting.id, 'waiting', 0]]);
    expect(
      p()
        .offline.requests()
        .filter((r) => r.rotationJobId === waiting.id),
    ).toHaveLength(1);
    expect(resumed[0]!.journal.filter((e) => e.phase === 'wait')).toHaveLength(1);
    expect(count(rig, 'keys')).toBe(keysBefore + 1);

    // 3. At the signer: the request names the rotation; the operator approves it and sends the answer back.
    const atSigner = await rig.toSigner('4.cdx');
    expect(atSigner.items.map((i) => [i.kind, i.decision])).toEqual([['sign-request', 'pending']]);
    expect(atSigner.items[0]!.details).toMatchObject({ purpose: 'rotate', rotationJob: waiting.id });
    expect(JSON.stringify(atSigner.items[0]!.details)).toContain(`Rotation ${waiting.id}`);
    await rig.signer.run('transfer', 'approve', atSigner.importId, '--all');
    const answer = await rig.toPublisher('5.cdx');
    const issued = answer.items.find((i) => i.kind === 'issued-certificate')!;
    expect(issued.details).toMatchObject({ rotationJob: waiting.id, key: 'generated and sealed here' });

    // 4. Approved while another process (the app, say) holds the job; that process dies before running it.
    const other = spawn('sleep', ['300'], { stdio: 'ignore' });
    try {
      p()
        .db.prepare('INSERT INTO leases (key, holder, expires_at) VALUES (?, ?, ?)')
        .run(`rotation:${waiting.id}`, `${other.pid}-0123456789ab`, Date.now() + 120_000);
      expect((await p().transfer.approve(answer.importId, 'all')).refused).toEqual([]);
      const held = p().rotations.get(waiting.id);
      expect(held).toMatchObject({ state: 'waiting', step: 0 });
      expect(
        p()
          .offline.requests()
          .find((r) => r.requestId === request.requestId),
      ).toMatchObject({ state: 'answered' });
    } finally {
      other.kill('SIGKILL');
      await new Promise((resolve) => other.once('exit', resolve));
    }
    await restartPublisher(rig);
    const [done] = await p().resumeRotations({});
    expect(done, JSON.stringify(done?.journal, null, 2)).toMatchObject({ id: waiting.id, state: 'done', step: ROTATION_STEP_COUNT });
    const successor = await p().getCertificate({ cert: done!.successorId! });
    expect(successor).toMatchObject({ keyStorage: 'sealed', replacesId: old.id, subject: old.subject });
    expect(done!.journal.find((e) => e.step === 1 && e.phase === 'end')?.detail).toContain(`answered request ${request.requestId}`);
    expect(done!.journal.find((e) => e.step === rotationStep('verify') && e.phase === 'end')?.detail).toMatch(/token bound to x5t#S256/);

    // The new credential is the only one at the sandbox; the old certificate is superseded, its revocation asked of the signer.
    expect(await credentialThumbprints(rig)).toEqual([successor.sha256Base64url]);
    expect((await p().getCertificate({ cert: old.id })).status).toBe('superseded');
    const retire = p()
      .offline.requests()
      .find((r) => r.kind === 'revoke-request' && r.predecessorId === old.id)!;
    expect(retire).toMatchObject({ state: 'queued', serialHex: old.serialHex });
    expect(done!.journal.find((e) => e.step === rotationStep('supersede') && e.phase === 'end')?.detail).toContain(retire.requestId);

    // openssl, independently: the new certificate chains to the signer's root.
    const root = p()
      .authorities.list()
      .find((a) => a.name === 'Offline Root')!;
    writeFileSync(rig.file('leaf.pem'), successor.pem);
    writeFileSync(rig.file('chain.pem'), successor.chainPem);
    writeFileSync(rig.file('root.pem'), certificateToPem(p().authorities.get(root.id).certDer));
    const verified = openssl(['verify', '-CAfile', rig.file('root.pem'), '-untrusted', rig.file('chain.pem'), rig.file('leaf.pem')]);
    expect(verified.output).toContain(`${rig.file('leaf.pem')}: OK`);

    expect((await p().verifyAudit()).ok).toBe(true);
    // Fourteen signer processes, each a new certdesk in its own network namespace: more than the usual ceiling on a loaded machine.
  }, 600_000);
});
