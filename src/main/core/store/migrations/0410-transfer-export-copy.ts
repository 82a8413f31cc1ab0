import type { Migration } from './migration.ts';

/**
 * The signed bytes of the latest bundle exported to each peer (issue 12). Exporting marks the items
 * sent and moves the sequence on; if the file or the browser download is then lost, those items would
 * be gone with it. Keeping the latest bundle's bytes lets the operator write the very same bundle
 * again (the peer's replay check still refuses it twice). Older rows drop their copy: one per pairing.
 */
export const transferExportCopy: Migration = {
  version: 410,
  name: 'transfer-export-copy',
  up(db) {
    db.exec(`ALTER TABLE transfer_exports ADD COLUMN bundle BLOB;`);
  },
};
