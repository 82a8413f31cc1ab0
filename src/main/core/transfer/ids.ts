import { randomBytes } from 'node:crypto';

/** Ids of the transfer core's rows, in the shape of core/ids.ts (kept here so that list stays the other parts'). */
export function transferId(prefix: 'key' | 'pair' | 'imp' | 'exp' | 'txq'): string {
  return `${prefix}_${randomBytes(10).toString('hex')}`;
}
