/**
 * The transfer page's channels (issue 12 § 3): pairing, importing and reviewing a bundle, deciding
 * each item, and the next outgoing bundle. Files cross as bytes (base64): the renderer uploads what
 * the operator picked and downloads what it gets back, and never names a path on the host.
 */
import type { TransferDirection, TransferImportView, TransferItemKind, WorkstationRole } from './transfer.ts';

type PairedRole = Exclude<WorkstationRole, 'standalone'>;

/** The largest files that cross: the core refuses more before parsing, and the page before uploading. */
export const TRANSFER_FILE_BYTES = { bundle: 32 * 1024 * 1024, pairing: 16 * 1024 } as const;

/** An uploaded file: a bundle (`.cdx`) or the peer's pairing file. */
export interface TransferUploadInput {
  contentBase64: string;
}

/** A file to save, as a download (web mode), or where main wrote it after its own save dialog (the desktop app). */
export interface TransferFileOutput {
  filename: string;
  contentBase64?: string;
  writtenTo?: string;
}

/** This folder's transfer key and the paired peer's, side by side for the operator to compare. */
export interface TransferPairingView {
  role: WorkstationRole;
  fingerprint: string;
  peer: { role: PairedRole; fingerprint: string; actor: string; pairedAt: string; pairedBy: string } | null;
}

/** The peer's pairing file, checked and shown before anything is stored. */
export interface TransferPairInspection {
  role: PairedRole;
  fingerprint: string;
  actor: string;
  createdAt: string;
  ownFingerprint: string;
  /** The peer this folder is paired with now; pairing replaces it. */
  replaces: string | null;
}

export interface TransferPairImportInput extends TransferUploadInput {
  /** The peer's fingerprint as the operator typed it from the peer's own screen. */
  confirm: string;
  /** Required when this folder is already paired: the new peer replaces the old one. */
  replace?: boolean;
}

export interface TransferPairImportResult {
  ownFingerprint: string;
  peer: { role: PairedRole; fingerprint: string; actor: string; createdAt: string };
  replaced: string | null;
}

export interface TransferDecisionInput {
  import: string;
  /** The items to approve, or `all` (every pending item). */
  items: string[] | 'all';
}

export interface TransferRefuseInput {
  import: string;
  items: string[];
  /** Travels back to the peer (from a signer): required. */
  reason: string;
}

export interface TransferDecisionResult {
  import: TransferImportView;
  applied: string[];
  refused: string[];
  /** Items named that were already decided: left as they were. */
  skipped: string[];
}

/** What the next outgoing bundle will carry. */
export interface TransferOutboxView {
  role: PairedRole;
  direction: TransferDirection;
  /** The paired peer's fingerprint; null: not paired, nothing can be exported yet. */
  peerFingerprint: string | null;
  /** The sequence the next bundle gets. */
  nextSequence: number;
  items: Array<{ id: string; kind: TransferItemKind; summary: string; queuedAt: string }>;
  /** A signer's bundles also carry its audit entries since the last one: how many. */
  auditEntries: number;
  /** The latest bundle exported to the peer, kept to be written again if its file or download was lost. */
  lastExport: { sequence: number; sha256: string; items: number; createdAt: string } | null;
}

/** The latest bundle again, byte for byte (`transfer:export-again`). */
export interface TransferExportAgainView extends TransferFileOutput {
  direction: TransferDirection;
  sequence: number;
  sha256: string;
}

export interface TransferExportView extends TransferFileOutput {
  direction: TransferDirection;
  sequence: number;
  sha256: string;
  items: Array<{ id: string; kind: TransferItemKind }>;
  /** Queued items left for the next bundle because this one reached a limit. */
  remaining: number;
}
