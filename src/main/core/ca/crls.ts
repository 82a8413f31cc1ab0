import type { CrlView } from '../../../shared/contract/index.ts';
import type { CoreContext } from '../context.ts';
import { createCrl, crlToPem } from '../pki/crl.ts';
import { SerialQueues } from '../serial-queues.ts';
import { CertdeskError } from '../errors.ts';
import { CrlRepository, type CrlRecord } from '../store/crl-repository.ts';
import { requireCaKey } from '../workstation/role-guard.ts';

/** How long a CRL is good for; the edge must be given a fresh one before then. */
export const CRL_VALIDITY_DAYS = 7;

/** One CRL series per authority, numbered 1, 2, 3… (RFC 5280 §5.2.3). */
export class Crls {
  private readonly ctx: CoreContext;
  private readonly repo: CrlRepository;
  /** CRL work per authority runs one at a time, so two revocations never sign the same CRL number. */
  private readonly queues = new SerialQueues();
  private readonly signedListeners = new Set<(authorityId: string) => void>();

  constructor(ctx: CoreContext) {
    this.ctx = ctx;
    this.repo = new CrlRepository(ctx.db);
  }

  /** Called after every newly signed CRL is recorded (a local edge can then reload its trust). */
  onSigned(listener: (authorityId: string) => void): () => void {
    this.signedListeners.add(listener);
    return () => this.signedListeners.delete(listener);
  }

  /** The latest CRL while it has at least a day to run, else a freshly signed one. */
  async current(caRef: string): Promise<CrlView> {
    const ca = this.ctx.authorities.get(caRef, 'ca');
    return this.queues.run(ca.id, () => this.currentNow(ca.id));
  }

  private async currentNow(caId: string): Promise<CrlView> {
    const ca = this.ctx.authorities.get(caId, 'ca');
    const now = this.ctx.clock.now();
    // Not simply the highest number: a pre-signed series holds CRLs that have not begun yet.
    const latest = this.repo.inEffect(ca.id, now.toISOString());
    const left = latest ? new Date(latest.nextUpdate).getTime() - now.getTime() : 0;
    if (ca.keyId === null) {
      // A publisher cannot sign: it serves the pre-signed CRL in effect for as long as it runs.
      if (latest && left > 0) return view(ca.id, latest);
      throw new CertdeskError(
        'CRL_SERIES_EXHAUSTED',
        `No CRL of "${ca.name}" is in effect now (${now.toISOString()}): the pre-signed series ${latest ? `ran out at ${latest.nextUpdate}` : 'is empty'}. Ask the offline signer for a new series (a crl-request) and import its answer.`,
        { field: 'ca' },
      );
    }
    const revokedNow = this.revokedUnder(ca.id).length;
    if (latest && latest.revoked === revokedNow && left > 86_400_000) return view(ca.id, latest);
    return this.generateNow(ca.id);
  }

  /**
   * Signs a series of CRLs for one authority, each for its own window, numbered on from the last
   * CRL it signed (so every later CRL numbers above the series), all listing the certificates
   * revoked now. Recorded in one transaction with one audit entry.
   */
  async signSeries(caRef: string, windows: ReadonlyArray<{ thisUpdate: Date; nextUpdate: Date }>): Promise<CrlView[]> {
    const ca = this.ctx.authorities.get(caRef, 'ca');
    return this.queues.run(ca.id, async () => {
      const issuer = await this.ctx.authorities.issuerMaterial(ca);
      const revoked = this.revokedUnder(ca.id);
      const first = (this.repo.latest(ca.id)?.crlNumber ?? 0) + 1;
      const records: CrlRecord[] = [];
      for (const [i, w] of windows.entries()) {
        const crlNumber = first + i;
        const crl = await createCrl({ issuer, crlNumber, ...w, revoked, crypto: this.ctx.crypto });
        records.push({
          authorityId: ca.id,
          crlNumber,
          thisUpdate: w.thisUpdate.toISOString(),
          nextUpdate: w.nextUpdate.toISOString(),
          revoked: revoked.length,
          der: new Uint8Array(crl.rawData),
        });
      }
      this.ctx.db
        .transaction(() => {
          for (const record of records) this.repo.insert(record);
          this.ctx.audit.append('crl.series', ca.id, {
            ca: ca.name,
            from: records[0]?.crlNumber ?? null,
            to: records.at(-1)?.crlNumber ?? null,
            firstThisUpdate: records[0]?.thisUpdate ?? null,
            lastNextUpdate: records.at(-1)?.nextUpdate ?? null,
            revoked: revoked.length,
          });
        })
        .immediate();
      for (const listener of this.signedListeners) listener(ca.id);
      return records.map((r) => view(ca.id, r));
    });
  }

  /** Leaves it issued and revoked, and the issuing CAs it signed and revoked (those are tracked on the authorities). */
  private revokedUnder(caId: string) {
    return [...this.ctx.certificates.revokedUnder(caId), ...this.ctx.authorities.revokedChildren(caId)];
  }

  /** Signs and records a new CRL listing every certificate revoked under the authority. */
  async generate(caRef: string): Promise<CrlView> {
    requireCaKey(this.ctx.db, 'signing a CRL');
    const ca = this.ctx.authorities.get(caRef, 'ca');
    return this.queues.run(ca.id, () => this.generateNow(ca.id));
  }

  private async generateNow(caId: string): Promise<CrlView> {
    const ca = this.ctx.authorities.get(caId, 'ca');
    const issuer = await this.ctx.authorities.issuerMaterial(ca);
    const now = this.ctx.clock.now();
    const thisUpdate = new Date(Math.floor(now.getTime() / 1000) * 1000);
    const nextUpdate = new Date(thisUpdate.getTime() + CRL_VALIDITY_DAYS * 86_400_000);
    const revoked = this.revokedUnder(ca.id);
    const crlNumber = (this.repo.latest(ca.id)?.crlNumber ?? 0) + 1;
    const crl = await createCrl({ issuer, crlNumber, thisUpdate, nextUpdate, revoked, crypto: this.ctx.crypto });
    const der = new Uint8Array(crl.rawData);
    this.ctx.db
      .transaction(() => {
        this.repo.insert({
          authorityId: ca.id,
          crlNumber,
          thisUpdate: thisUpdate.toISOString(),
          nextUpdate: nextUpdate.toISOString(),
          revoked: revoked.length,
          der,
        });
        this.ctx.audit.append('crl.generate', ca.id, { ca: ca.name, crlNumber, revoked: revoked.length });
      })
      .immediate();
    for (const listener of this.signedListeners) listener(ca.id);
    return {
      authorityId: ca.id,
      crlNumber,
      thisUpdate: thisUpdate.toISOString(),
      nextUpdate: nextUpdate.toISOString(),
      revokedCount: revoked.length,
      pem: crlToPem(der),
    };
  }
}

function view(authorityId: string, r: CrlRecord): CrlView {
  return {
    authorityId,
    crlNumber: r.crlNumber,
    thisUpdate: r.thisUpdate,
    nextUpdate: r.nextUpdate,
    revokedCount: r.revoked,
    pem: crlToPem(r.der),
  };
}
