/**
 * Where the audit checkpoints live, outside SQLite: a keychain item and a file beside the database
 * (mode 0600, replaced atomically). Deleting the last rows of the log, or rewriting it with a
 * recomputed chain, leaves the database disagreeing with both.
 */
import { readFileSync } from 'node:fs';
import { writePrivateFile } from '../files/private-file.ts';
import { auditCheckpointAccount } from '../secrets/audit-key.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import { checkpointMac, parseCheckpoint, sameMac, type Checkpoint } from './audit-chain.ts';

export type CheckpointSource = 'file' | 'keychain';

/** What one source holds: a checkpoint whose MAC verified, nothing, or something that is not one. */
export type CheckpointRead =
  | { state: 'ok'; checkpoint: Checkpoint }
  | { state: 'missing' }
  | { state: 'forged'; detail: string }
  | { state: 'unreadable'; detail: string };

function judge(text: string, key: Uint8Array | null, storeId: string): CheckpointRead {
  const cp = parseCheckpoint(text);
  if (!cp) return { state: 'forged', detail: 'it is not a certdesk audit checkpoint' };
  if (cp.store !== storeId) return { state: 'forged', detail: `it belongs to store ${cp.store}, not ${storeId}` };
  if (!key) return { state: 'unreadable', detail: 'the audit key is not available to check its MAC' };
  if (!sameMac(cp.mac, checkpointMac(key, cp))) return { state: 'forged', detail: 'its MAC does not verify under the audit key' };
  return { state: 'ok', checkpoint: cp };
}

export class CheckpointStore {
  private readonly file: string;
  private readonly keychain: SecretStore;

  constructor(file: string, keychain: SecretStore) {
    this.file = file;
    this.keychain = keychain;
  }

  get filePath(): string {
    return this.file;
  }

  readFile(key: Uint8Array | null, storeId: string): CheckpointRead {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'missing' };
      return { state: 'unreadable', detail: (error as Error).message };
    }
    return judge(text, key, storeId);
  }

  async readKeychain(key: Uint8Array | null, storeId: string): Promise<CheckpointRead> {
    let bytes: Uint8Array | null;
    try {
      bytes = await this.keychain.get(auditCheckpointAccount(storeId));
    } catch (error) {
      return { state: 'unreadable', detail: (error as Error).message };
    }
    return bytes ? judge(Buffer.from(bytes).toString('utf8'), key, storeId) : { state: 'missing' };
  }

  /** Synchronous, so a checkpoint reaches the disk before the database closes. */
  writeFile(cp: Checkpoint): void {
    writePrivateFile(this.file, `${JSON.stringify(cp)}\n`, { replace: true });
  }

  async writeKeychain(cp: Checkpoint): Promise<void> {
    await this.keychain.set(auditCheckpointAccount(cp.store), Buffer.from(JSON.stringify(cp), 'utf8'));
  }
}
