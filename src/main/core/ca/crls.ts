import type { CrlView } from '../../../shared/contract/index.ts';
import type { CoreContext } from '../context.ts';
import { createCrl, crlToPem } from '../pki/crl.ts';
import { SerialQueues } from '../serial-queues.ts';
import { CrlRepository } from '../store/crl-repository.ts';

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
    const latest = this.repo.latest(ca.id);
    const revokedNow = this.revokedUnder(ca.id).length;
    if (latest && latest.revoked === revokedNow && new Date(latest.nextUpdate).getTime() - this.ctx.clock.now().getTime() > 86_400_000) {
      return {
        authorityId: ca.id,
        crlNumber: latest.crlNumber,
        thisUpdate: latest.thisUpdate,
        nextUpdate: latest.nextUpdate,
        revokedCount: latest.revoked,
        pem: crlToPem(latest.der),
      };
    }
    return this.generateNow(ca.id);
  }

  /** Leaves it issued and revoked, and the issuing CAs it signed and revoked (those are tracked on the authorities). */
  private revokedUnder(caId: string) {
    return [...this.ctx.certificates.revokedUnder(caId), ...this.ctx.authorities.revokedChildren(caId)];
  }

  /** Signs and records a new CRL listing every certificate revoked under the authority. */
  async generate(caRef: string): Promise<CrlView> {
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
