import type { Database } from '../store/database.ts';
import { CrlRepository } from '../store/crl-repository.ts';
import { toArrayBuffer } from '../pki/pem.ts';
import { x509 } from '../pki/x509.ts';

/**
 * Which revoked serials the latest CRL of a CA actually lists, read from the signed CRL itself: the
 * only true answer to "is it on the CRL?" (a time comparison is not, since a CRL's thisUpdate is
 * rounded down to the second). A CRL never changes once signed, so each is read once per process.
 */
export class CrlListing {
  private readonly repo: CrlRepository;
  private readonly read = new Map<string, { crlNumber: number; serials: Set<string> }>();

  constructor(db: Database) {
    this.repo = new CrlRepository(db);
  }

  /** Whether the latest CRL of `authorityId` lists `serialHex` (false when the CA has signed no CRL yet). */
  lists(authorityId: string | null, serialHex: string): boolean {
    if (!authorityId) return false;
    const latest = this.repo.latest(authorityId);
    if (!latest) return false;
    let known = this.read.get(authorityId);
    if (!known || known.crlNumber !== latest.crlNumber) {
      const crl = new x509.X509Crl(toArrayBuffer(latest.der));
      known = { crlNumber: latest.crlNumber, serials: new Set(crl.entries.map((entry) => normalSerial(entry.serialNumber))) };
      this.read.set(authorityId, known);
    }
    return known.serials.has(normalSerial(serialHex));
  }
}

/** Serials compare as numbers: no case, no leading zero bytes. */
function normalSerial(hex: string): string {
  return hex.toLowerCase().replace(/^(?:00)+(?=[0-9a-f])/, '');
}
