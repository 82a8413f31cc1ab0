import type { TransferDirection, TransferItem } from '../../../shared/contract/index.ts';
import { ItemAppliers } from './appliers.ts';
import { Decisions, type DecisionResult } from './decisions.ts';
import type { TransferDeps } from './deps.ts';
import { exportAgain, exportBundle, exportBundleTo, readyToExport, requireLastExport, type ExportResult } from './outgoing.ts';
import { outboxView } from './outbox.ts';
import {
  exportPairing,
  pairingRole,
  importPairing,
  inspectPairing,
  pairingFile,
  pairingPath,
  pairingUpload,
  showPairing,
  type PairImportResult,
  type PairView,
} from './pairing.ts';
import type { TransferQueue } from './ports.ts';
import { SqliteTransferQueue } from './queue.ts';
import { previewBundle, type BundlePreview } from './preview.ts';
import { importBundle, importBundleBytes, reviewImports, type ImportView } from './staging.ts';

/**
 * The transfer core in one place for the hosts: pairing, importing and reviewing bundles, the
 * operator's decisions, and the outgoing bundle. The parts that know what an item means register
 * their appliers on `appliers` and queue what they send through `queue`.
 */
export class Transfer {
  readonly appliers = new ItemAppliers();
  private readonly deps: TransferDeps;
  private readonly sqliteQueue: SqliteTransferQueue;
  private readonly decisions: Decisions;

  constructor(deps: TransferDeps) {
    this.deps = deps;
    this.sqliteQueue = new SqliteTransferQueue(deps.db, deps.clock);
    this.decisions = new Decisions(deps, this.appliers, this.sqliteQueue);
  }

  /** The TransferQueue port: items for the next outgoing bundle. */
  get queue(): TransferQueue & { waiting(direction: TransferDirection): Array<{ id: string; item: TransferItem }> } {
    return this.sqliteQueue;
  }

  showPairing = (): Promise<PairView> => showPairing(this.deps);
  exportPairing = (out: string, force: boolean) => exportPairing(this.deps, out, force);
  importPairing = (path: string, options: { confirm?: string | undefined; replace?: boolean }): Promise<PairImportResult> =>
    importPairing(this.deps, pairingPath(path), options);
  importBundle = (path: string): Promise<ImportView> => importBundle(this.deps, this.appliers, this.sqliteQueue, path);
  /** Imports, then approves the items named (or all) at once: `certdesk bundle import FILE --approve …`. */
  importAndApprove = async (path: string, items: readonly string[] | 'all'): Promise<DecisionResult> => {
    const staged = await importBundle(this.deps, this.appliers, this.sqliteQueue, path, items === 'all' ? [] : items);
    return this.decisions.approve(staged.id, items);
  };
  /** Verifies and reviews a bundle with nothing stored (`certdesk bundle show`). */
  previewBundle = (path: string): Promise<BundlePreview> => previewBundle(this.deps, this.appliers, path);
  review = (importId?: string): ImportView[] => reviewImports(this.deps, importId);
  /** After an approval applied something: work that waited for an answer goes on (a publisher's rotation at the signer). */
  private readonly afterApprove: Array<() => Promise<unknown>> = [];
  onApproved(listener: () => Promise<unknown>): void {
    this.afterApprove.push(listener);
  }
  approve = async (importId: string, items: readonly string[] | 'all'): Promise<DecisionResult> => {
    const result = await this.decisions.approve(importId, items);
    if (result.applied.length > 0) for (const listener of this.afterApprove) await listener();
    return result;
  };
  refuse = (importId: string, items: readonly string[], reason: string): DecisionResult => this.decisions.refuse(importId, items, reason);
  exportBundle = (out: string, force: boolean): Promise<ExportResult> => exportBundle(this.deps, this.sqliteQueue, out, force);

  /** The transfer page's view of pairing: refused on a standalone folder, as every other transfer path is. */
  pairingView = (): Promise<PairView> => {
    pairingRole(this.deps, 'pair');
    return showPairing(this.deps);
  };
  outbox = () => outboxView(this.deps, this.sqliteQueue);

  // The same for hosts where files cross as bytes (the web host's uploads and downloads): no path is named.
  pairingFile = () => pairingFile(this.deps);
  inspectPairingUpload = (bytes: Buffer) => inspectPairing(this.deps, pairingUpload(bytes));
  importPairingUpload = (bytes: Buffer, options: { confirm: string; replace?: boolean }): Promise<PairImportResult> =>
    importPairing(this.deps, pairingUpload(bytes), options);
  importBundleUpload = (bytes: Buffer): Promise<ImportView> => importBundleBytes(this.deps, this.appliers, this.sqliteQueue, bytes);
  /** Refuses (unpaired, nothing queued) before a host asks the operator where to save. */
  checkExport = (): void => void readyToExport(this.deps, this.sqliteQueue);
  /** The latest bundle again, byte for byte: to a file (the CLI's --out, the desktop save dialog) or as bytes. */
  exportAgain = (out?: { path: string; force: boolean }) =>
    exportAgain(this.deps, out ? { kind: 'file', out: out.path, force: out.force } : { kind: 'bytes' });
  /** Refuses (nothing exported yet) before a host asks the operator where to save. */
  checkExportAgain = (): void => void requireLastExport(this.deps);
  exportBundleBytes = () => exportBundleTo(this.deps, this.sqliteQueue, { kind: 'bytes' });
  /** The desktop app: the file the operator chose in main's own save dialog (which asked before replacing). */
  exportBundleChosen = (path: string) => exportBundleTo(this.deps, this.sqliteQueue, { kind: 'file', out: path, force: true });
}
