/**
 * Kill after approval, for real (issue 12 §5): a publisher's rotation waits at the offline signer, the
 * signer's answer is staged, and a real certdesk child process approves it (`transfer approve`, which
 * continues the job at once) and is killed with SIGKILL right there: before the job's issue step ran
 * again, or just after it recorded the successor. New processes (`rotate --resume`) finish the job:
 * exactly one successor, one credential at the sandbox, no key made twice or left behind.
 */
import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { writeRunning } from '../../src/main/host/sandbox.ts';
import { TRANSFER_KEY_TYPE } from '../../src/main/core/store/key-repository.ts';
import { ROTATION_STEP_COUNT, ROTATION_WAIT } from '../../src/shared/contract/index.ts';
import { gapAtSandbox } from '../support/gap-sandbox.ts';
import { resumeUntilDone, runAndKillAt } from '../support/rotation-child.ts';

/** Keys no certificate, CA or open request uses (the folder's transfer key aside): what a crash could leave behind. */
const ORPHAN_KEYS = `SELECT count(*) AS n FROM keys WHERE key_type <> '${TRANSFER_KEY_TYPE}'
  AND id NOT IN (SELECT key_id FROM certificates WHERE key_id IS NOT NULL)
  AND id NOT IN (SELECT key_id FROM authorities WHERE key_id IS NOT NULL)
  AND id NOT IN (SELECT key_id FROM offline_requests WHERE key_id IS NOT NULL AND state = 'queued')`;

async function killedAfterApproval(pause: '1:begin' | '1:end'): Promise<void> {
  // The real keychain: the child processes open this publisher's vault too.
  const { sb, t, p, gap, addTenant, bindApp, credentials: credentialsOf } = await gapAtSandbox({ keychain: true });
  // certdesk's own sandbox fetch (child processes) finds the sandbox through its running file.
  writeRunning(sb.sandbox.dir, sb.sandbox);
  const env = { CERTDESK_SANDBOX_DIR: sb.sandbox.dir, CERTDESK_DATA_DIR: t.dataDir };
  const [old] = await gap.issue(p, 'killed-client');
  await addTenant();
  const app = await bindApp('killed-app', old!);
  const credentials = () => credentialsOf(app);

  const job = await p.rotate({ cert: old!.id, verify: false, overlapSeconds: 0 });
  expect(job.message).toMatch(new RegExp(`^${ROTATION_WAIT.signer} req_`));
  const keys = (p.db.prepare('SELECT count(*) AS n FROM keys').get() as { n: number }).n;
  await gap.toSigner(p);
  const answer = await gap.toPublisher(p);
  await gap.closeSigner();
  // The folder goes to the child processes: this one closes it, its keychain calls settled.
  p.close();
  await p.audit.settle();

  await runAndKillAt(['transfer', 'approve', answer.importId, '--all'], env, pause);

  // Killed: the approval is applied (the successor is in the inventory), the job has not gone on, nothing changed at the tenant.
  const mid = t.reopen();
  expect(mid.transfer.review(answer.importId)[0]!.items.map((i) => i.decision)).toEqual(answer.items.map(() => 'approved'));
  const killed = mid.rotations.get(job.id);
  expect(killed).toMatchObject({ state: 'running', step: pause === '1:begin' ? 0 : 1 });
  const successors = (db: typeof mid.db) =>
    (db.prepare('SELECT id FROM certificates WHERE replaces_id = ?').all(old!.id) as { id: string }[]).map((r) => r.id);
  expect(successors(mid.db)).toHaveLength(1);
  expect(await credentials()).toEqual([old!.sha256Base64url]);
  mid.close();
  await mid.audit.settle();

  const done = await resumeUntilDone(env);
  expect(done, JSON.stringify(done.journal, null, 2)).toMatchObject({ id: job.id, state: 'done', step: ROTATION_STEP_COUNT });

  // Exactly one successor, the one the signer answered; its credential alone at the sandbox; one key made, none left over.
  const after = t.reopen();
  expect(successors(after.db)).toEqual([done.successorId]);
  const successor = await after.getCertificate({ cert: done.successorId! });
  expect(successor.keyStorage).toBe('sealed');
  expect(after.offline.requests().find((r) => r.rotationJobId === job.id)).toMatchObject({
    state: 'answered',
    certificateId: successor.id,
  });
  expect(await credentials()).toEqual([successor.sha256Base64url]);
  expect((after.db.prepare('SELECT count(*) AS n FROM keys').get() as { n: number }).n).toBe(keys);
  expect(after.db.prepare(ORPHAN_KEYS).get()).toEqual({ n: 0 });
  expect(done.journal.filter((e) => e.step === 1 && e.phase === 'end')).toHaveLength(1);
  expect((await after.verifyAudit()).ok).toBe(true);
}

describe('a publisher killed right after approving the signer answer', () => {
  it('killed before the job goes on (issue step begun), resumed by new processes to done', async () => {
    await killedAfterApproval('1:begin');
  });
  it('killed once the successor is recorded (issue step ended), resumed by new processes to done', async () => {
    await killedAfterApproval('1:end');
  });
});
