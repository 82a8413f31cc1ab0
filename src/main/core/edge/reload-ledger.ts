/**
 * Which reload approvals are current, kept in the OS keychain beside the audit key. The MAC on a row
 * proves certdesk approved that record once; it cannot prove the approval is still the latest. A
 * file writer who restores an older row (an argv the operator later replaced or cleared) brings back
 * a MAC that verifies. This item holds the MAC of each action's current approval, and drops it when
 * the approval is withdrawn, so only the latest approval of each action runs. A file writer cannot
 * change it; someone who can is also able to read the audit key, which no local check stops.
 */
import { reloadApprovalsAccount } from '../secrets/audit-key.ts';
import type { SecretStore } from '../secrets/secret-store.ts';

/** `corrupt`: the item was read but is not a record of ours; the next approval starts it afresh (it only drops approvals). */
export type LedgerRead = { ok: true; macs: ReadonlyMap<number, string> } | { ok: false; problem: string; corrupt?: true };

interface LedgerFile {
  v: 1;
  store: string;
  approvals: Record<string, string>;
}

function parse(bytes: Uint8Array, storeId: string): LedgerRead {
  try {
    const data = JSON.parse(Buffer.from(bytes).toString('utf8')) as Partial<LedgerFile>;
    if (data.v !== 1 || data.store !== storeId || typeof data.approvals !== 'object' || data.approvals === null)
      return { ok: false, corrupt: true, problem: `it is not this store's record of reload approvals` };
    const macs = new Map<number, string>();
    for (const [id, mac] of Object.entries(data.approvals)) {
      if (!/^[1-9][0-9]*$/.test(id) || typeof mac !== 'string' || !/^[0-9a-f]{64}$/.test(mac))
        return { ok: false, corrupt: true, problem: `it holds an entry that is not an approval (${id})` };
      macs.set(Number(id), mac);
    }
    return { ok: true, macs };
  } catch {
    return { ok: false, corrupt: true, problem: 'it is not JSON' };
  }
}

export class ReloadLedger {
  private readonly store: SecretStore;
  private readonly storeId: () => string;
  private last: LedgerRead = { ok: false, problem: 'it has not been read yet' };
  /** Read-modify-write of one keychain item: this process's writes go one at a time. */
  private writes: Promise<unknown> = Promise.resolve();

  constructor(store: SecretStore, storeId: () => string) {
    this.store = store;
    this.storeId = storeId;
  }

  /** The keychain item, as error messages name it. */
  get item(): string {
    return reloadApprovalsAccount(this.storeId());
  }

  /** Reads the item again: another certdesk process (the CLI, the app) may have approved or cleared since. */
  async refresh(): Promise<LedgerRead> {
    const storeId = this.storeId();
    let bytes: Uint8Array | null;
    try {
      bytes = await this.store.get(reloadApprovalsAccount(storeId));
    } catch (error) {
      this.last = { ok: false, problem: `it could not be read: ${(error as Error).message}` };
      return this.last;
    }
    this.last = bytes ? parse(bytes, storeId) : { ok: true, macs: new Map() };
    return this.last;
  }

  /** What this process last read or wrote: for showing an approval's state synchronously, never for running one. */
  cached(): LedgerRead {
    return this.last;
  }

  /**
   * Records `mac` as the current approval of action `id`, or (null) that it has none. Rejects when
   * the keychain cannot be read or written: a record it could not read is never overwritten, as
   * that would drop approvals made by another process. A corrupt one is started afresh.
   */
  record(id: number, mac: string | null): Promise<void> {
    const write = this.writes.then(async () => {
      const current = await this.refresh();
      if (!current.ok && !current.corrupt) throw new Error(`the keychain item "${this.item}" ${current.problem}`);
      const macs = new Map(current.ok ? current.macs : []);
      if (mac === null) macs.delete(id);
      else macs.set(id, mac);
      const storeId = this.storeId();
      const file: LedgerFile = { v: 1, store: storeId, approvals: Object.fromEntries([...macs].map(([k, v]) => [String(k), v])) };
      await this.store.set(reloadApprovalsAccount(storeId), Buffer.from(JSON.stringify(file), 'utf8'));
      this.last = { ok: true, macs };
    });
    this.writes = write.catch(() => undefined);
    return write;
  }
}
