import {
  CRL_SERIES_WARN_DAYS,
  REVOCATION_REASONS,
  type CrlSeriesState,
  type CrlSeriesStatus,
  type CrlItem,
  type CrlView,
  type RevocationReason,
  type TransferItem,
} from '../../../shared/contract/index.ts';
import type { CoreContext } from '../context.ts';
import { CertdeskError } from '../errors.ts';
import { crlToPem } from '../pki/crl.ts';
import { nameDer, sameDn } from '../pki/names.ts';
import { decodePemOrBase64, toArrayBuffer } from '../pki/pem.ts';
import { x509 } from '../pki/x509.ts';
import type { AuthorityRecord } from '../store/authority-repository.ts';
import { CrlRepository, type CrlRecord } from '../store/crl-repository.ts';
import type { ItemApplier, ItemReview } from '../transfer/ports.ts';
import { OutgoingRequests } from './outgoing-requests.ts';
import { certificateUnder, requireAuthority, type OfflineParts } from './parts.ts';

const CRL_NUMBER_OID = '2.5.29.20';
const DAY = 86_400_000;

/** The CRL number of a CRL (a DER INTEGER), as a safe integer. */
function crlNumberOf(crl: x509.X509Crl): number | null {
  const ext = crl.getExtension(CRL_NUMBER_OID);
  if (!ext) return null;
  const v = new Uint8Array(ext.value);
  if (v[0] !== 0x02 || v[1] === undefined || v[1] !== v.length - 2 || v[1] > 7) return null;
  let n = 0;
  for (const byte of v.subarray(2)) n = n * 256 + byte;
  return Number.isSafeInteger(n) ? n : null;
}

interface Checked {
  ca: AuthorityRecord;
  crl: x509.X509Crl;
  der: Uint8Array;
  crlNumber: number;
  nextUpdate: Date;
  /** The same CRL is held already: applying changes nothing. */
  held: boolean;
}

/** A CRL from the signer: signed by the CA it names, its summary the CRL's own, its number not taken by another CRL. */
async function check(parts: OfflineParts, item: CrlItem): Promise<Checked> {
  const { ctx } = parts;
  const ca = requireAuthority(ctx, item.issuerSha256);
  const der = decodePemOrBase64(item.crlPem, ['X509 CRL'], 'crlPem');
  let crl: x509.X509Crl;
  try {
    crl = new x509.X509Crl(toArrayBuffer(der));
  } catch (cause) {
    throw new CertdeskError('PEM_INVALID', 'crlPem is not an X.509 CRL.', { field: 'crlPem', cause });
  }
  const caCert = new x509.X509Certificate(ca.certDer);
  const signed = await crl.verify({ publicKey: caCert.publicKey }, ctx.crypto).catch(() => false);
  if (!signed || !sameDn(nameDer(crl.issuerName), nameDer(caCert.subjectName)))
    throw new CertdeskError('CRL_SIGNATURE_INVALID', `This CRL is not signed by "${ca.name}", the CA the item names.`, { field: 'crlPem' });
  const crlNumber = crlNumberOf(crl);
  const nextUpdate = crl.nextUpdate;
  if (crlNumber === null || !nextUpdate)
    throw new CertdeskError('VALIDATION', 'The CRL has no CRL number or no nextUpdate; certdesk serves only CRLs that have both.', {
      field: 'crlPem',
    });
  if (
    item.crlNumber !== String(crlNumber) ||
    Date.parse(item.thisUpdate) !== crl.thisUpdate.getTime() ||
    Date.parse(item.nextUpdate) !== nextUpdate.getTime()
  )
    throw new CertdeskError(
      'VALIDATION',
      "The item's CRL number, thisUpdate or nextUpdate is not the CRL's own: the review would show false dates.",
      {
        field: 'crlNumber',
      },
    );
  const existing = new CrlRepository(ctx.db).all(ca.id).find((r) => r.crlNumber === crlNumber);
  if (existing && Buffer.compare(Buffer.from(existing.der), Buffer.from(der)) !== 0)
    throw new CertdeskError('CONFLICT', `"${ca.name}" already has another CRL number ${crlNumber}: CRL numbers never repeat.`, {
      field: 'crlPem',
    });
  return { ca, crl, der, crlNumber, nextUpdate, held: existing !== undefined };
}

const reasonName = (reason: x509.X509CrlReason | undefined): RevocationReason => {
  const name = reason === undefined ? 'unspecified' : x509.X509CrlReason[reason];
  return (REVOCATION_REASONS as readonly string[]).includes(name) ? (name as RevocationReason) : 'unspecified';
};

/**
 * The publisher's import of a CRL (one of a pre-signed series, or the fresh ones after a revocation):
 * stored for `currentCrl`, its revocations marked in the inventory, and the request it answers closed.
 */
export function crlApplier(parts: OfflineParts): ItemApplier<CrlItem> {
  const crls = new CrlRepository(parts.ctx.db);
  const requests = new OutgoingRequests(parts.ctx.db);
  return {
    kind: 'crl',
    async review(item): Promise<ItemReview> {
      const details: Record<string, string> = {
        crlNumber: item.crlNumber,
        thisUpdate: item.thisUpdate,
        nextUpdate: item.nextUpdate,
        requestId: item.requestId ?? '(sent unasked)',
      };
      try {
        const c = await check(parts, item);
        details.issuer = c.ca.name;
        details.revoked = String(c.crl.entries.length);
        return {
          effect: c.held
            ? `Nothing: CRL ${c.crlNumber} of "${c.ca.name}" is already held`
            : `Store CRL ${c.crlNumber} of "${c.ca.name}", in effect from ${item.thisUpdate} until ${item.nextUpdate} (${c.crl.entries.length} revoked)`,
          details,
          problem: null,
        };
      } catch (error) {
        if (!(error instanceof CertdeskError)) throw error;
        return { effect: `Store CRL ${item.crlNumber}`, details, problem: { code: error.code, reason: error.message } };
      }
    },
    async apply(item, origin): Promise<TransferItem[]> {
      const { ctx } = parts;
      const c = await check(parts, item);
      if (c.held) return [];
      const revocations = c.crl.entries.map((e) => ({
        cert: certificateUnder(ctx, c.ca.id, e.serialNumber),
        at: e.revocationDate.toISOString(),
        reason: reasonName(e.reason),
      }));
      const request = item.requestId ? requests.get(item.requestId) : undefined;
      const listed = new Set(c.crl.entries.map((e) => e.serialNumber.toLowerCase()));
      const answers =
        request?.issuerSha256 === c.ca.sha256Hex &&
        (request.kind === 'crl-request' || (request.kind === 'revoke-request' && listed.has(request.serialHex ?? '')));
      const now = ctx.clock.now().toISOString();
      ctx.db
        .transaction(() => {
          crls.insert({
            authorityId: c.ca.id,
            crlNumber: c.crlNumber,
            thisUpdate: c.crl.thisUpdate.toISOString(),
            nextUpdate: c.nextUpdate.toISOString(),
            revoked: c.crl.entries.length,
            der: c.der,
          });
          for (const r of revocations)
            if (r.cert && !r.cert.revokedAt && ctx.certificates.revoke(r.cert.id, r.at, r.reason))
              ctx.audit.append('cert.revoke', r.cert.id, {
                serial: r.cert.serialHex,
                reason: r.reason,
                cn: r.cert.commonName,
                by: 'signer-crl',
              });
          if (answers && request) requests.markAnswered(request.requestId, null, now);
          ctx.audit.append('offline.receive-crl', c.ca.id, {
            ca: c.ca.name,
            crlNumber: c.crlNumber,
            thisUpdate: c.crl.thisUpdate.toISOString(),
            nextUpdate: c.nextUpdate.toISOString(),
            requestId: item.requestId,
            importId: origin.importId,
            itemId: origin.itemId,
          });
        })
        .immediate();
      return [];
    },
  };
}

function toView(r: CrlRecord): CrlView {
  return {
    authorityId: r.authorityId,
    crlNumber: r.crlNumber,
    thisUpdate: r.thisUpdate,
    nextUpdate: r.nextUpdate,
    revokedCount: r.revoked,
    pem: crlToPem(r.der),
  };
}

/**
 * The CRL to publish at `now`: the highest-numbered one whose thisUpdate ≤ now (see
 * CrlRepository.inEffect), or null. It may have run out (nextUpdate < now): the caller says so.
 */
export function currentCrl(ctx: CoreContext, caRef: string, now: Date): CrlView | null {
  const ca = ctx.authorities.get(caRef, 'ca');
  const r = new CrlRepository(ctx.db).inEffect(ca.id, now.toISOString());
  return r ? toView(r) : null;
}

export type { CrlSeriesStatus };
export { CRL_SERIES_WARN_DAYS };

/** For every CA this workstation holds without its key: how long its pre-signed CRLs last. For the Schedule. */
export function crlSeriesStatus(ctx: CoreContext, now: Date, warnDays = CRL_SERIES_WARN_DAYS): CrlSeriesStatus[] {
  const repo = new CrlRepository(ctx.db);
  return ctx.authorities
    .list()
    .map((view) => ctx.authorities.get(view.id))
    .filter((ca) => ca.keyId === null)
    .map((ca) => {
      const all = repo.all(ca.id);
      const last = all.reduce<string | null>((max, r) => (max === null || r.nextUpdate > max ? r.nextUpdate : max), null);
      const inEffect = repo.inEffect(ca.id, now.toISOString());
      const left = last === null ? null : new Date(last).getTime() - now.getTime();
      const state: CrlSeriesState = left === null ? 'missing' : left <= 0 ? 'expired' : left < warnDays * DAY ? 'warn' : 'ok';
      return {
        authorityId: ca.id,
        name: ca.name,
        current: inEffect
          ? {
              crlNumber: inEffect.crlNumber,
              thisUpdate: inEffect.thisUpdate,
              nextUpdate: inEffect.nextUpdate,
              expired: new Date(inEffect.nextUpdate).getTime() <= now.getTime(),
            }
          : null,
        lastPresignedNextUpdate: last,
        daysLeft: left === null ? null : Math.floor(left / DAY),
        warn: left === null || left < warnDays * DAY,
        state,
        warnDays,
      };
    });
}
