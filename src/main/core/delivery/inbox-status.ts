/** What `target test` reports of a csr inbox: its layout, what `issued/` holds, and whether a request waits. */
import { join } from 'node:path';
import { checkInboxFolder, ISSUED_FOLDER, lstatOrNull, REJECTED_FOLDER, REQUEST_FILE } from './csr-inbox-fs.ts';
import { issuedSerial } from './inbox-handler.ts';

export interface InboxStatus {
  issuedSerial: string | null;
  requestPending: boolean;
}

/** Reads only: a missing `issued/` or `rejected/` is reported, not made (target add made them). */
export function inboxStatus(dir: string): InboxStatus {
  const folder = checkInboxFolder(dir);
  for (const name of [ISSUED_FOLDER, REJECTED_FOLDER]) {
    const info = lstatOrNull(join(folder, name));
    if (!info?.isDirectory() || info.isSymbolicLink())
      throw new Error(`${join(folder, name)} is missing or not a folder; add the target again, or make it (mode 0755).`);
  }
  return { issuedSerial: issuedSerial(folder), requestPending: lstatOrNull(join(folder, REQUEST_FILE)) !== null };
}
