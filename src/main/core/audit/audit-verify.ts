/**
 * The full check of the audit log: the link chain (every entry, legacy ones included), the keyed
 * MACs (from the keyed epoch on), and the tail against both checkpoints kept outside SQLite.
 */
import type { AuditCheck, AuditCheckpointState, AuditVerifyResult } from '../../../shared/contract/index.ts';
import { GENESIS, entryHash, entryMac, sameMac, type ChainRow } from './audit-chain.ts';
import type { CheckpointRead, CheckpointSource } from './checkpoints.ts';

export interface VerifyInput {
  rows: () => IterableIterator<ChainRow>;
  row: (seq: number) => ChainRow | undefined;
  storeId: string;
  key: Uint8Array | null;
  /** Why the key is not available, when it is not. */
  keyProblem: string | null;
  /** Why the database is not the store this data folder is anchored to, when it is not. */
  anchorProblem: string | null;
  checkpoints: Record<CheckpointSource, CheckpointRead>;
  /** The epoch this process knows, used only when no checkpoint verifies. */
  fallbackEpoch: number | null;
  writeProblem: string | null;
  checkpointFile: string;
}

const WHERE: Record<CheckpointSource, string> = { file: 'checkpoint file', keychain: 'keychain checkpoint' };

export function verifyChain(input: VerifyInput): AuditVerifyResult {
  const problems: AuditVerifyResult['problems'] = [];
  const add = (seq: number, check: AuditCheck, problem: string) => problems.push({ seq, check, problem });
  if (input.anchorProblem) add(0, 'anchor', input.anchorProblem);
  const trusted = (['keychain', 'file'] as const).flatMap((s) => {
    const read = input.checkpoints[s];
    return read.state === 'ok' ? [read.checkpoint] : [];
  });
  const epoch = trusted.sort((a, b) => b.seq - a.seq)[0]?.epoch ?? input.fallbackEpoch ?? (input.key ? 1 : null);

  let prev = GENESIS;
  let expectedSeq = 1;
  let checked = 0;
  for (const row of input.rows()) {
    checked++;
    if (row.seq !== expectedSeq) add(row.seq, 'chain', `entries ${expectedSeq}–${row.seq - 1} are missing (deleted)`);
    if (row.prev_hash !== prev) add(row.seq, 'chain', 'does not link to the entry before it (an earlier entry was deleted or altered)');
    let recomputed = '';
    try {
      recomputed = entryHash(row.prev_hash, row);
    } catch {
      // Details that are not JSON: reported as altered.
    }
    if (recomputed !== row.hash) add(row.seq, 'chain', 'its content was altered after it was written');
    if (input.key && epoch !== null && row.seq >= epoch) {
      if (row.mac === null) add(row.seq, 'mac', 'carries no keyed MAC: it was written or rewritten without the audit key');
      else if (!sameMac(row.mac, entryMac(input.key, input.storeId, row.hash)))
        add(row.seq, 'mac', 'its keyed MAC does not verify: the entry or the chain before it was rewritten without the audit key');
    }
    prev = row.hash;
    expectedSeq = row.seq + 1;
  }
  const tailSeq = expectedSeq - 1;

  const checkpoints = {} as AuditVerifyResult['checkpoints'];
  for (const source of ['file', 'keychain'] as const) {
    const read = input.checkpoints[source];
    let state: AuditCheckpointState = read.state;
    let seq: number | null = null;
    if (read.state === 'ok') {
      const cp = read.checkpoint;
      seq = cp.seq;
      if (cp.seq > tailSeq) {
        state = 'truncated';
        const first = tailSeq + 1;
        const which = cp.seq > first ? `and the ${cp.seq - first} after it were` : 'was';
        add(
          first,
          'truncation',
          `${which} cut off the end of the log: the ${WHERE[source]} records entry ${cp.seq}, the log ends at ${tailSeq}`,
        );
      } else if (cp.seq > 0 && input.row(cp.seq)?.hash !== cp.head) {
        state = 'rewritten';
        add(cp.seq, 'rewrite', `is not the entry the ${WHERE[source]} recorded: the log was rewritten up to here`);
      }
    } else if (read.state === 'missing') {
      if (checked > 0 || input.key)
        add(0, 'checkpoint', `The ${WHERE[source]} is missing${source === 'file' ? ` (${input.checkpointFile})` : ''}`);
    } else if (read.state === 'forged') {
      add(0, 'checkpoint', `The ${WHERE[source]} was replaced: ${read.detail}`);
    } else if (input.key) {
      add(0, 'checkpoint', `The ${WHERE[source]} could not be read: ${read.detail}`);
    }
    checkpoints[source] = { state, seq };
  }
  if (!input.key && input.keyProblem && (checked > 0 || trusted.length > 0))
    add(0, 'key', `The keyed MACs and checkpoints could not be checked: ${input.keyProblem}`);
  if (input.writeProblem) add(0, 'checkpoint', `A checkpoint was not written: ${input.writeProblem}`);

  const firstBad = problems.map((p) => p.seq).filter((s) => s > 0);
  const lastGoodSeq = firstBad.length ? Math.min(tailSeq, Math.min(...firstBad) - 1) : tailSeq;
  return { ok: problems.length === 0, checked, problems, lastGoodSeq, keyedFrom: epoch, checkpoints };
}
