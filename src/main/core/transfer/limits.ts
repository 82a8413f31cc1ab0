import { TRANSFER_FILE_BYTES } from '../../../shared/contract/index.ts';

/**
 * The bounds a bundle must keep (docs/transfer-bundles.md). They are checked before the part they
 * bound is parsed: the file's size before it is read, the item count and each item's declared and
 * carried size before an item is decoded, so a hostile file costs at most these bytes.
 */
export const TRANSFER_LIMITS = {
  /** The whole `.cdx` file. */
  bundleBytes: TRANSFER_FILE_BYTES.bundle,
  /** The compact JWS holding the manifest. */
  manifestChars: 512 * 1024,
  /** Items in one bundle. */
  items: 1000,
  /** One item's bytes (UTF-8 JSON), as declared in the manifest and as carried. */
  itemBytes: 4 * 1024 * 1024,
  /** Audit entries in one audit-entries item; a longer history travels as several items. */
  auditEntriesPerItem: 2000,
  /** The pairing file. */
  pairingBytes: TRANSFER_FILE_BYTES.pairing,
} as const;
