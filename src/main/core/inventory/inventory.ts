import {
  OFFERED_REVOCATION_REASONS,
  type CertificateDetail,
  type CertificatePage,
  type CertificateQuery,
  type LintResult,
  type RevocationReason,
} from '../../../shared/contract/index.ts';
import type { CoreContext } from '../context.ts';
import { CertdeskError } from '../errors.ts';
import { keyTypeOf } from '../pki/key-types.ts';
import { lintCertificate, type LintContext } from '../pki/lint.ts';
import { CertificateBytes } from '../pki/certificate-bytes.ts';
import { sameDn } from '../pki/names.ts';
import { certificateToPem, decodePemOrBase64, toArrayBuffer } from '../pki/pem.ts';
import { findProfile, PROFILES } from '../pki/profiles.ts';
import { x509 } from '../pki/x509.ts';
import type { CertificateRow } from '../store/certificate-repository.ts';
import { recordFromCertificate } from './certificate-record.ts';
import { lineageLink, toDetail, toSummary } from './certificate-view.ts';
import { CrlListing } from './crl-listing.ts';

/** What issuance knows of a certificate it just signed, which the detail's lint need not work out again. */
export type JustIssued = Pick<LintContext, 'signedBy' | 'key'>;

/** The certificate inventory: find, list, inspect, lint, revoke, and import for tracking. */
export class Inventory {
  private readonly ctx: CoreContext;
  private readonly revokedListeners = new Set<(certificateId: string) => void>();
  private readonly crlListing: CrlListing;

  constructor(ctx: CoreContext) {
    this.ctx = ctx;
    this.crlListing = new CrlListing(ctx.db);
  }

  /** Called after every revocation is recorded (by the operator, or by a rotation's step 7). */
  onRevoked(listener: (certificateId: string) => void): () => void {
    this.revokedListeners.add(listener);
    return () => this.revokedListeners.delete(listener);
  }

  /** An id, hex serial (colons allowed), SHA-256 thumbprint, or x5t#S256. */
  resolve(ref: string, field = 'cert'): CertificateRow {
    const found = this.ctx.certificates.findByRef(ref.trim(), this.ctx.clock.now());
    if (found.length === 1) return found[0]!;
    if (found.length > 1)
      throw new CertdeskError(
        'CONFLICT',
        `"${ref}" matches ${found.length} certificates (the same serial under different CAs); use the certificate id instead.`,
        { field },
      );
    throw new CertdeskError(
      'NOT_FOUND',
      `No certificate has the id, serial or thumbprint "${ref}". Search the inventory (certdesk list --search …) to find it.`,
      { field },
    );
  }

  list(query: CertificateQuery): CertificatePage {
    const issuer = query.issuer ? this.ctx.authorities.get(query.issuer, 'issuer').id : undefined;
    const { total, rows } = this.ctx.certificates.query({ ...query, ...(issuer ? { issuer } : {}) }, this.ctx.clock.now());
    const names = this.issuerNames();
    return { total, offset: query.offset ?? 0, items: rows.map((r) => toSummary(r, this.issuerName(r, names), this.onCrl(r))) };
  }

  async get(ref: string): Promise<CertificateDetail> {
    return this.detail(this.resolve(ref));
  }

  /**
   * The detail of a certificate known by its id: one indexed read, not the four forms a reference may
   * take. `issued`: what issuance, which just signed the certificate, knows of it (see LintContext).
   */
  async getById(id: string, issued?: JustIssued): Promise<CertificateDetail> {
    const row = this.ctx.certificates.get(id, this.ctx.clock.now());
    if (!row)
      throw new CertdeskError('NOT_FOUND', `Certificate ${id} is not in the inventory (it may have been removed a moment ago).`, {
        field: 'cert',
      });
    return this.detail(row, issued);
  }

  async detail(row: CertificateRow, issued?: JustIssued): Promise<CertificateDetail> {
    const cert = new CertificateBytes(row.certDer);
    const authorities = this.ctx.authorities.records();
    const lint = await this.lintParsed(cert, row.profile ?? undefined, issued, authorities);
    const now = this.ctx.clock.now();
    return toDetail(
      row,
      {
        issuerName: this.issuerName(row, this.issuerNames(authorities)),
        chainPems: this.chainPems(row.authorityId, authorities),
        lint,
        onCrl: this.onCrl(row),
        replaces: lineageLink(row.replacesId ? this.ctx.certificates.get(row.replacesId, now) : undefined),
        replacedBy: lineageLink(row.replacedById ? this.ctx.certificates.get(row.replacedById, now) : undefined),
      },
      cert,
    );
  }

  private onCrl(row: CertificateRow): boolean | null {
    return row.revokedAt === null ? null : this.crlListing.lists(row.authorityId, row.serialHex);
  }

  async lint(pem: string): Promise<LintResult> {
    return this.lintParsed(this.parseCertificate(pem));
  }

  async revoke(ref: string, reason: RevocationReason = 'unspecified'): Promise<CertificateDetail> {
    if (reason === 'certificateHold')
      throw new CertdeskError(
        'REVOCATION_REASON_UNSUPPORTED',
        `reason certificateHold is not offered: a hold is meant to be released, and revocation in certdesk is permanent. Use one of ${OFFERED_REVOCATION_REASONS.join(', ')}; nothing was revoked.`,
        { field: 'reason' },
      );
    const row = this.resolve(ref);
    if (row.revokedAt)
      throw new CertdeskError(
        'ALREADY_REVOKED',
        `This certificate was already revoked on ${row.revokedAt} (${row.revocationReason}). Nothing was changed.`,
        { field: 'cert' },
      );
    if (!row.authorityId)
      throw new CertdeskError(
        'VALIDATION',
        'This certificate was imported for tracking and was not issued by a certdesk CA, so certdesk cannot revoke it. Revoke it at its own CA.',
        { field: 'cert' },
      );
    const at = this.ctx.clock.now().toISOString();
    this.ctx.db
      .transaction(() => {
        if (!this.ctx.certificates.revoke(row.id, at, reason))
          throw new CertdeskError('ALREADY_REVOKED', 'This certificate was revoked a moment ago by another process.', { field: 'cert' });
        this.ctx.audit.append('cert.revoke', row.id, { serial: row.serialHex, reason, cn: row.commonName });
      })
      .immediate();
    for (const listener of this.revokedListeners) listener(row.id);
    return this.get(row.id);
  }

  /** Adds a certificate issued elsewhere, for tracking only: certdesk holds no key for it. */
  async importCertificate(pem: string): Promise<CertificateDetail> {
    const cert = this.parseCertificate(pem);
    if (cert.getExtension(x509.BasicConstraintsExtension)?.ca)
      throw new CertdeskError('VALIDATION', 'This is a CA certificate; import CAs with their key as authorities (certdesk ca import).', {
        field: 'pem',
      });
    const keyType = keyTypeOf((await cert.publicKey.export(this.ctx.crypto)).algorithm as never);
    const record = recordFromCertificate(cert, {
      authorityId: null,
      profile: null,
      keyType,
      keyStorage: 'imported',
      keyId: null,
      replacesId: null,
      createdAt: this.ctx.clock.now().toISOString(),
    });
    // Issued by one of our CAs (say, before certdesk tracked it): link it, so the chain and CRLs apply.
    record.authorityId = this.ctx.authorities.list().find((a) => sameDn(a.subject, record.issuer))?.id ?? null;
    if (this.ctx.certificates.findByRef(record.sha256Hex, this.ctx.clock.now()).length)
      throw new CertdeskError('CONFLICT', 'This certificate is already in the inventory.', { field: 'pem' });
    this.ctx.db
      .transaction(() => {
        this.ctx.certificates.insert(record);
        this.ctx.audit.append('cert.import', record.id, { serial: record.serialHex, cn: record.commonName, sha256: record.sha256Hex });
      })
      .immediate();
    return this.get(record.id);
  }

  /** PEM of the issuing CA and each CA above it, up to the root. */
  chainPems(authorityId: string | null, records = this.ctx.authorities.records()): string[] {
    const out: string[] = [];
    let id = authorityId;
    for (let depth = 0; id && depth < 5; depth++) {
      const ca = records.find((a) => a.id === id);
      if (!ca) break;
      out.push(certificateToPem(ca.certDer));
      id = ca.parentId;
    }
    return out;
  }

  parseCertificate(pem: string, field = 'pem'): x509.X509Certificate {
    const der = decodePemOrBase64(pem, ['CERTIFICATE'], field);
    try {
      return new x509.X509Certificate(toArrayBuffer(der));
    } catch (cause) {
      throw new CertdeskError('PEM_INVALID', `${field} is not an X.509 certificate (it could not be decoded).`, { field, cause });
    }
  }

  private async lintParsed(
    cert: CertificateBytes | x509.X509Certificate,
    profileName?: string,
    issued?: JustIssued,
    authorities = this.ctx.authorities.records(),
  ): Promise<LintResult> {
    const profile = profileName && PROFILES.some((p) => p.name === profileName) ? findProfile(profileName) : undefined;
    return lintCertificate(cert, {
      authorities: this.ctx.authorities.certificates(authorities),
      now: this.ctx.clock.now(),
      crypto: this.ctx.crypto,
      ...(profile ? { profile } : {}),
      ...(issued?.signedBy ? { signedBy: issued.signedBy } : {}),
      ...(issued?.key ? { key: issued.key } : {}),
    });
  }

  private issuerNames(records = this.ctx.authorities.records()): Map<string, string> {
    return new Map(records.map((a) => [a.id, a.name]));
  }

  private issuerName(row: CertificateRow, names: Map<string, string>): string {
    return (row.authorityId && names.get(row.authorityId)) ?? row.issuer;
  }
}
