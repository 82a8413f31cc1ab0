import type { AuditEntry, AuditVerifyResult } from '../../../shared/contract/index.ts';
import type { Clock } from '../clock.ts';
import { readAuditAnchor, writeAuditAnchor } from '../secrets/audit-anchor.ts';
import { createAuditKey, deriveAuditSubkey, readAuditKey, type AuditSubkeyPurpose } from '../secrets/audit-key.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import type { Database, Statement, Transaction } from '../store/database.ts';
import { osActor } from './actor.ts';
import { GENESIS, checkpointMac, entryHash, entryMac, sameMac, type ChainRow, type Checkpoint } from './audit-chain.ts';
import { verifyChain } from './audit-verify.ts';
import { CheckpointStore } from './checkpoints.ts';

/**
 * What the vault reports to the audit log. One small entry point, so the vault's own code (set-up,
 * unlock, lock, idle lock, a passphrase change) records itself without knowing about the chain.
 */
export type VaultEventKind =
  'setup' | 'unlock' | 'unlock-failed' | 'lock' | 'idle-lock' | 'protection-change' | 'passphrase-change' | 'passphrase-change-failed';
export type VaultAuditSink = (kind: VaultEventKind, detail?: Record<string, unknown>) => void;

/**
 * Where the audit key and the checkpoints live: the store's keychain, its id, the file beside the
 * database, and the keychain item that ties this data folder to the store id (`audit-anchor.ts`).
 */
export interface AuditAnchors {
  secretStore: SecretStore;
  storeId: () => string;
  checkpointFile: string;
  anchorAccount: string;
}

/**
 * `mismatch`: the database names another store than the one this folder is anchored to. Nothing is
 * keyed or checkpointed then; verify checks the log against the anchored store's key and keychain
 * checkpoint (`evidenceKey`), which is what the log should still extend.
 */
type KeyState =
  | { state: 'loading' }
  | { state: 'ready'; key: Uint8Array }
  | { state: 'missing' | 'unavailable'; detail: string }
  | { state: 'mismatch'; detail: string; anchoredId: string; evidenceKey: Uint8Array | null };

/**
 * The longest a new entry waits for its checkpoint while entries keep coming and the store stays open
 * (see scheduleFlush). An entry after a quiet spell is checkpointed at once, so this bounds only a
 * burst's lag: a second of a bulk rotation's entries, against a checkpoint (two fsyncs on the
 * service's thread) every tenth of a second, which cost a bulk rotation about 10% of its CPU.
 */
export const CHECKPOINT_EVERY_MS = 1000;

/**
 * The append-only audit log. Each entry's link hash covers the previous one, and from the keyed
 * epoch on each entry also carries an HMAC-SHA256 of that hash under the store's audit key (kept in
 * the OS keychain), so a rewritten chain cannot be recomputed without the key. After each commit
 * the (sequence, head) checkpoint is written outside SQLite, to a file beside the database and to a
 * keychain item (at most CHECKPOINT_EVERY_MS later, and at once on close), so cutting entries off the
 * end is caught too. SQLite triggers (migration 0090)
 * refuse UPDATE and DELETE. Call `append` inside the same transaction as the change it records.
 *
 * The key is read from the keychain asynchronously while `append` is synchronous (it runs inside
 * SQLite transactions): entries appended in the moments before the key has loaded are keyed as soon
 * as it has (migration 0090's trigger allows exactly that: a NULL mac becoming set, nothing else).
 */
export class AuditLog {
  private readonly db: Database;
  private readonly clock: Clock;
  private readonly anchors: AuditAnchors;
  private readonly checkpoints: CheckpointStore;
  private readonly lastStmt: Statement<[], { seq: number; hash: string }>;
  private readonly insertStmt: Statement<[number, string, string, string, string | null, string, string, string, string | null]>;
  private readonly fillStmt: Statement<[string, number, string]>;
  private readonly afterStmt: Statement<[number], ChainRow>;
  private readonly rowStmt: Statement<[number], ChainRow>;
  private readonly pageStmt: Statement<[number, number], ChainRow>;
  private readonly countStmt: Statement<[], { n: number }>;
  private readonly keyedRowStmt: Statement<[], { seq: number }>;
  /** Made once: better-sqlite3 builds a transaction's wrapper anew on each `db.transaction` call. */
  private readonly appendTx: Transaction<(action: string, subjectId: string | null, details: Record<string, unknown>) => void>;
  private key: KeyState = { state: 'loading' };
  /** Entries this process wrote before the key loaded; only these are ever keyed after the fact. */
  private unkeyed: Array<{ seq: number; hash: string }> = [];
  /** The newest checkpoint written or read; the next one must extend the chain from here. */
  private baseline: Checkpoint | null = null;
  /** Why checkpoints stopped advancing: the log no longer extends the last one (evidence is kept). */
  private stalled: string | null = null;
  private checkpointError: string | null = null;
  /** The trailing checkpoint write, while one is due (see scheduleFlush). */
  private flushTimer: NodeJS.Timeout | undefined;
  /** When the checkpoints were last brought to the tail (performance.now()). */
  private lastFlushAt = -Infinity;
  private keychainWrites: Promise<void> = Promise.resolve();
  /** The newest checkpoint not yet sent to the keychain: writes coalesce, one D-Bus call per batch. */
  private keychainNext: Checkpoint | null = null;
  private ready: Promise<void>;

  constructor(db: Database, clock: Clock, anchors: AuditAnchors) {
    this.db = db;
    this.clock = clock;
    this.anchors = anchors;
    this.checkpoints = new CheckpointStore(anchors.checkpointFile, anchors.secretStore);
    this.lastStmt = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
    this.insertStmt = db.prepare(
      'INSERT INTO audit_log (seq, at, actor, action, subject_id, details, prev_hash, hash, mac) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.fillStmt = db.prepare('UPDATE audit_log SET mac = ? WHERE seq = ? AND hash = ? AND mac IS NULL');
    this.afterStmt = db.prepare('SELECT * FROM audit_log WHERE seq >= ? ORDER BY seq');
    this.rowStmt = db.prepare('SELECT * FROM audit_log WHERE seq = ?');
    this.pageStmt = db.prepare('SELECT * FROM audit_log ORDER BY seq DESC LIMIT ? OFFSET ?');
    this.countStmt = db.prepare('SELECT count(*) AS n FROM audit_log');
    this.keyedRowStmt = db.prepare('SELECT seq FROM audit_log WHERE mac IS NOT NULL LIMIT 1');
    this.appendTx = db.transaction((action: string, subjectId: string | null, details: Record<string, unknown>) =>
      this.write(action, subjectId, details),
    );
    this.ready = this.startLoad();
  }

  private startLoad(reanchored = false): Promise<void> {
    return this.loadKey(reanchored).catch((error: unknown) => {
      this.key = { state: 'unavailable', detail: error instanceof Error ? error.message : String(error) };
    });
  }

  /** Records an action. The actor is the OS user and host of this process, never a caller's claim. */
  append(action: string, subjectId: string | null, details: Record<string, unknown>): void {
    this.appendTx.immediate(action, subjectId, details);
    this.scheduleFlush();
  }

  /** One entry, inside appendTx's transaction. */
  private write(action: string, subjectId: string | null, details: Record<string, unknown>): void {
    const last = this.lastStmt.get();
    const seq = (last?.seq ?? 0) + 1;
    const prev = last?.hash ?? GENESIS;
    const row = {
      seq,
      at: this.clock.now().toISOString(),
      actor: osActor(),
      action,
      subject_id: subjectId,
      details: JSON.stringify(details),
    };
    const hash = entryHash(prev, row);
    const mac = this.key.state === 'ready' ? entryMac(this.key.key, this.anchors.storeId(), hash) : null;
    this.insertStmt.run(seq, row.at, row.actor, action, subjectId, row.details, prev, hash, mac);
    if (mac === null) this.unkeyed.push({ seq, hash });
  }

  /** The vault's entry point: `vault.<kind>` entries with no subject. */
  readonly vaultEvent: VaultAuditSink = (kind, detail = {}) => this.append(`vault.${kind}`, null, detail);

  list(offset = 0, limit = 100): { total: number; items: AuditEntry[] } {
    return {
      total: this.countStmt.get()?.n ?? 0,
      items: this.pageStmt.all(limit, offset).map((r) => ({
        seq: r.seq,
        at: r.at,
        actor: r.actor,
        action: r.action,
        subjectId: r.subject_id,
        details: JSON.parse(r.details) as Record<string, unknown>,
        hash: r.hash,
      })),
    };
  }

  /** Walks the chain and compares its tail with both checkpoints; names each failed check and the last good entry. */
  async verify(): Promise<AuditVerifyResult> {
    await this.settle();
    const mismatch = this.key.state === 'mismatch' ? this.key : null;
    // On a mismatch the evidence is the anchored store's: its key and keychain checkpoint are what the log must extend.
    const storeId = mismatch ? mismatch.anchoredId : this.anchors.storeId();
    const key = this.key.state === 'ready' ? this.key.key : (mismatch?.evidenceKey ?? null);
    const [file, keychain] = [this.checkpoints.readFile(key, storeId), await this.checkpoints.readKeychain(key, storeId)];
    const keyProblem =
      this.key.state === 'missing' || this.key.state === 'unavailable'
        ? this.key.detail
        : mismatch && !key
          ? `the anchored store's audit key (keychain item "audit-key:${storeId}") is not in the keychain`
          : null;
    return verifyChain({
      rows: () => this.afterStmt.iterate(1) as IterableIterator<ChainRow>,
      row: (seq) => this.rowStmt.get(seq),
      storeId,
      key,
      keyProblem,
      anchorProblem: mismatch?.detail ?? null,
      checkpoints: { file, keychain },
      fallbackEpoch: this.baseline?.epoch ?? null,
      writeProblem: this.checkpointError,
      checkpointFile: this.checkpoints.filePath,
    });
  }

  /**
   * A subkey of the audit key for another "a file writer cannot forge it" MAC, or why there is none:
   * not loaded yet (await `keyLoaded` first), or missing from the keychain. Synchronous, so callers
   * inside a transaction can use it; a caller that gets a problem must refuse, never fall back.
   */
  subkey(purpose: AuditSubkeyPurpose): { key: Uint8Array } | { problem: string } {
    const storeId = this.anchors.storeId();
    if (this.key.state === 'ready') return { key: deriveAuditSubkey(this.key.key, storeId, purpose) };
    if (this.key.state === 'loading') return { problem: `the audit key (keychain item "audit-key:${storeId}") has not loaded yet` };
    if (this.key.state === 'unavailable')
      return { problem: `the audit key (keychain item "audit-key:${storeId}") could not be read: ${this.key.detail}` };
    return { problem: this.key.detail };
  }

  /**
   * The operator's deliberate "this database is now this folder's store" (`certdesk audit reanchor`,
   * CLI only, never a channel a UI host could call): points the anchor at the database's store id and
   * records that as an `audit.reanchor` entry. The key then loads as on a start: the id's own key if
   * the keychain has it, else a new one only when nothing says one existed, keying from that entry on.
   * Null when the anchor already names the database's store.
   */
  async reanchor(): Promise<{ from: string; to: string } | null> {
    await this.settle();
    if (this.key.state !== 'mismatch') return null;
    const from = this.key.anchoredId;
    const to = this.anchors.storeId();
    await writeAuditAnchor(this.anchors.secretStore, this.anchors.anchorAccount, to);
    // Entries written while mismatched stay unkeyed: only what follows the operator's decision is keyed.
    this.unkeyed = [];
    this.baseline = null;
    this.stalled = null;
    this.checkpointError = null;
    this.key = { state: 'loading' };
    this.append('audit.reanchor', null, { from, to });
    this.ready = this.startLoad(true);
    await this.settle();
    return { from, to };
  }

  /** The store id this data folder's keychain anchor names when it is not the database's (null: they agree, or no anchor yet). */
  anchoredElsewhere(): string | null {
    return this.key.state === 'mismatch' ? this.key.anchoredId : null;
  }

  /** Resolves once the key has been read (or found missing); never rejects. */
  async keyLoaded(): Promise<void> {
    await this.ready;
  }

  /** Resolves once the key has loaded and every checkpoint started so far is written. */
  async settle(): Promise<void> {
    await this.ready;
    // Flushed now: a timer still pending would only come back to nothing. A flush that fails leaves one again.
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    try {
      this.flushNow();
    } catch (error) {
      this.scheduleFlush();
      throw error;
    }
    await this.keychainWrites;
  }

  /** Writes the last checkpoint before the database closes; the keychain write finishes in the background (`settle`). */
  close(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.flushNow();
  }

  /** `reanchored`: the anchor was just written by the operator, so it is no trace of an earlier key. */
  private async loadKey(reanchored: boolean): Promise<void> {
    const storeId = this.anchors.storeId();
    const store = this.anchors.secretStore;
    const anchored = await readAuditAnchor(store, this.anchors.anchorAccount);
    if (anchored !== null && anchored !== storeId) {
      this.key = {
        state: 'mismatch',
        anchoredId: anchored,
        evidenceKey: await readAuditKey(store, anchored),
        detail: this.mismatch(anchored),
      };
      return;
    }
    let key = await readAuditKey(store, storeId);
    if (key) {
      // A store keyed before anchors existed gets its anchor now: the key in the keychain vouches for the id.
      if (anchored === null) await this.writeAnchor(storeId);
      const reads = [this.checkpoints.readFile(key, storeId), await this.checkpoints.readKeychain(key, storeId)];
      const trusted = reads.flatMap((r) => (r.state === 'ok' ? [r.checkpoint] : [])).sort((a, b) => b.seq - a.seq);
      this.baseline = trusted[0] ?? null;
      if (!this.baseline) this.stalled = 'no checkpoint verifies under the audit key';
      this.key = { state: 'ready', key };
    } else {
      const anyCheckpoint = [this.checkpoints.readFile(null, storeId), await this.checkpoints.readKeychain(null, storeId)].some(
        (r) => r.state !== 'missing',
      );
      // Any trace of an earlier key means the key was lost, not that this is the first keyed use:
      // a new key would bless whatever the database now says.
      const remains =
        anchored !== null && !reanchored
          ? `this data folder's keychain anchor (item "${this.anchors.anchorAccount}") remains`
          : anyCheckpoint
            ? 'its checkpoints remain'
            : this.keyedRowStmt.get()
              ? `entries keyed under it remain in the log (entry ${this.keyedRowStmt.get()!.seq})`
              : null;
      if (remains) {
        this.key = { state: 'missing', detail: `the audit key (keychain item "audit-key:${storeId}") is gone while ${remains}` };
        return;
      }
      // First keyed use of this store. The rows already there (written unkeyed by an older version)
      // become the legacy segment, sealed by this first checkpoint: trust on first use.
      key = await createAuditKey(store, storeId);
      await this.writeAnchor(storeId);
      const last = this.lastStmt.get();
      const epoch = Math.min(this.unkeyed[0]?.seq ?? Infinity, (last?.seq ?? 0) + 1);
      const legacyHead = epoch > 1 ? (this.rowStmt.get(epoch - 1)?.hash ?? GENESIS) : GENESIS;
      this.key = { state: 'ready', key };
      this.writeCheckpoint({ v: 1, store: storeId, epoch, seq: epoch - 1, head: legacyHead });
    }
    this.flushNow();
  }

  private async writeAnchor(storeId: string): Promise<void> {
    await writeAuditAnchor(this.anchors.secretStore, this.anchors.anchorAccount, storeId).catch((error: unknown) => {
      this.checkpointError = `the keychain anchor "${this.anchors.anchorAccount}" could not be written: ${(error as Error).message}`;
    });
  }

  private mismatch(anchoredId: string): string {
    return (
      `The database's store id ("${this.anchors.storeId()}") no longer matches this data folder's keychain anchor ` +
      `(item "${this.anchors.anchorAccount}", store "${anchoredId}"): the database was replaced or its store id was changed, ` +
      `so nothing is keyed and the log is checked against store "${anchoredId}". Restore this folder's database from a backup; ` +
      `if the replacement is deliberate, run \`certdesk audit reanchor\` to tie the folder to the database's store id`
    );
  }

  /**
   * Checkpoints are throttled: an entry after a quiet spell is checkpointed at once, and while entries
   * keep coming (a bulk rotation appends several per second) the file and the keychain item advance at
   * most once per CHECKPOINT_EVERY_MS, each write being two fsyncs, with a last write for the trailing
   * entries. Inside a transaction the write waits for the commit. `settle` and `close` write at once.
   */
  private scheduleFlush(): void {
    if (this.flushTimer) return;
    const wait = Math.max(0, this.lastFlushAt + CHECKPOINT_EVERY_MS - performance.now());
    if (wait === 0 && !this.db.inTransaction) return this.flushFromTimer();
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.flushFromTimer();
    }, wait);
  }

  /** A flush nobody awaits: a failure (a busy or failing disk) is kept for verify to report, never thrown into a timer. */
  private flushFromTimer(): void {
    try {
      this.flushNow();
    } catch (error) {
      this.checkpointError = `the audit checkpoint could not be advanced: ${(error as Error).message}`;
    }
  }

  /** Keys what this process wrote before the key loaded, then advances the checkpoints to the committed tail. */
  private flushNow(): void {
    if (!this.db.open) return;
    if (this.db.inTransaction) return this.scheduleFlush();
    if (this.key.state !== 'ready') return;
    const key = this.key.key;
    const storeId = this.anchors.storeId();
    for (const { seq, hash } of this.unkeyed.splice(0)) this.fillStmt.run(entryMac(key, storeId, hash), seq, hash);
    const base = this.baseline;
    if (!base || this.stalled) return;
    const tail = this.lastStmt.get();
    if (!tail || (tail.seq === base.seq && tail.hash === base.head)) return;
    const { broken, reached } = this.extendsBaseline(base, key, storeId);
    if (broken) {
      this.stalled = broken;
      return;
    }
    if (reached.seq > base.seq) this.writeCheckpoint({ v: 1, store: storeId, epoch: base.epoch, seq: reached.seq, head: reached.hash });
  }

  /**
   * How far the rows after the checkpoint extend it (linked, with valid MACs), or why they do not.
   * An entry still waiting for its MAC (another process that has not loaded the key yet) only
   * stops the walk for now.
   */
  private extendsBaseline(
    base: Checkpoint,
    key: Uint8Array,
    storeId: string,
  ): { broken: string | null; reached: { seq: number; hash: string } } {
    let prev = base.head;
    const reached = () => ({ seq: expected - 1, hash: prev });
    let expected = base.seq + 1;
    for (const row of this.afterStmt.iterate(Math.max(base.seq, 1)) as IterableIterator<ChainRow>) {
      if (row.seq === base.seq) {
        if (row.hash !== base.head) return { broken: `entry ${base.seq} is not the one the last checkpoint recorded`, reached: reached() };
        continue;
      }
      let hash = '';
      try {
        hash = entryHash(prev, row);
      } catch {
        // Details that are not JSON: refused below like any other altered entry.
      }
      if (row.mac === null && row.seq >= base.epoch && row.seq === expected && row.prev_hash === prev && hash === row.hash) break;
      if (
        row.seq !== expected ||
        row.prev_hash !== prev ||
        hash !== row.hash ||
        (row.seq >= base.epoch && !sameMac(row.mac, entryMac(key, storeId, row.hash)))
      )
        return { broken: `entry ${row.seq} does not extend the last checkpoint (entry ${base.seq})`, reached: reached() };
      prev = row.hash;
      expected++;
    }
    if (expected === base.seq + 1 && base.seq > 0 && !this.rowStmt.get(base.seq))
      return { broken: `entry ${base.seq}, which the last checkpoint recorded, is gone`, reached: reached() };
    return { broken: null, reached: reached() };
  }

  private writeCheckpoint(unsigned: Omit<Checkpoint, 'mac'>): void {
    if (this.key.state !== 'ready') return;
    const cp: Checkpoint = { ...unsigned, mac: checkpointMac(this.key.key, unsigned) };
    // The throttle counts writes: a flush that found nothing to write does not hold back the next entry.
    this.lastFlushAt = performance.now();
    try {
      this.checkpoints.writeFile(cp);
    } catch (error) {
      this.checkpointError = `the checkpoint file ${this.checkpoints.filePath} could not be written: ${(error as Error).message}`;
    }
    this.baseline = cp;
    const queued = this.keychainNext !== null;
    this.keychainNext = cp;
    if (queued) return;
    this.keychainWrites = this.keychainWrites.then(() => {
      const next = this.keychainNext!;
      this.keychainNext = null;
      return this.checkpoints.writeKeychain(next).catch((error: unknown) => {
        this.checkpointError = `the keychain checkpoint could not be written: ${(error as Error).message}`;
      });
    });
  }
}
