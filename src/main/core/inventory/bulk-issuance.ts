/**
 * Many leaves at once (issue 14): each is checked, keyed, signed and sealed like a single issuance,
 * then all are written in ONE transaction. So the batch is all-or-nothing (a refused item leaves no
 * row, no key and no audit entry behind), SQLite commits once, and the audit log writes one
 * checkpoint for the whole batch instead of one per certificate.
 */
import type { IssueInput } from '../../../shared/contract/index.ts';
import { CertdeskError } from '../errors.ts';
import { requireCaKey } from '../workstation/role-guard.ts';
import type { CoreContext } from '../context.ts';
import type { Issuance, SignedLeaf } from './issuance.ts';

/** More than an operator's batch needs, few enough that the sealed keys of one batch stay small in memory. */
export const MAX_BULK_ISSUE = 1000;
/** Keygen and signing run on libuv's pool: a few in flight keep its threads busy without queueing every key at once. */
const IN_FLIGHT = 4;

export interface BulkIssued {
  id: string;
  serialHex: string;
  commonName: string | null;
}

export async function issueBulk(ctx: CoreContext, issuance: Issuance, items: readonly IssueInput[]): Promise<BulkIssued[]> {
  requireCaKey(ctx.db, 'issuing certificates');
  if (items.length === 0 || items.length > MAX_BULK_ISSUE)
    throw new CertdeskError('VALIDATION', `Give between 1 and ${MAX_BULK_ISSUE} certificates to issue at once (got ${items.length}).`, {
      field: 'items',
    });
  const signed: SignedLeaf[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      try {
        signed[index] = await issuance.prepareIssue(items[index]!);
      } catch (error) {
        next = items.length; // the batch is refused: start no further keys
        throw error instanceof CertdeskError
          ? new CertdeskError(error.code, error.message, { field: `items.${index}.${error.field ?? ''}`.replace(/\.$/, ''), cause: error })
          : error;
      }
    }
  };
  const results = await Promise.allSettled(Array.from({ length: Math.min(IN_FLIGHT, items.length) }, worker));
  const refused = results.find((r) => r.status === 'rejected');
  if (refused) {
    // Keys already generated for this batch are not written anywhere: clear what memory still holds.
    for (const leaf of signed) leaf?.sealed?.fill(0);
    throw refused.reason;
  }
  issuance.commit(signed, (index) => `items.${index}.`);
  return signed.map(({ record }) => ({ id: record.id, serialHex: record.serialHex, commonName: record.commonName }));
}
