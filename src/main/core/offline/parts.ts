import type { Crls } from '../ca/crls.ts';
import type { CoreContext } from '../context.ts';
import { CertdeskError } from '../errors.ts';
import type { Inventory } from '../inventory/inventory.ts';
import type { Issuance } from '../inventory/issuance.ts';
import type { AuthorityRecord } from '../store/authority-repository.ts';
import type { CertificateRow } from '../store/certificate-repository.ts';

/**
 * What the offline appliers work through: the existing core, so a certificate signed for the gap is
 * issued, linted and audited exactly as one signed at the desk. Build it from a service as
 * `{ ctx: service.edgeContext(), inventory: service.inventory, issuance: service.issuance, crls: service.crls }`.
 */
export interface OfflineParts {
  ctx: CoreContext;
  inventory: Inventory;
  issuance: Issuance;
  crls: Crls;
}

/** Items name a CA by the SHA-256 of its certificate: names differ between workstations, the certificate does not. */
export function authorityBySha256(ctx: CoreContext, sha256: string): AuthorityRecord | undefined {
  const wanted = sha256.trim().toLowerCase();
  const view = ctx.authorities.list().find((a) => a.sha256Hex === wanted);
  return view && ctx.authorities.get(view.id);
}

export function requireAuthority(ctx: CoreContext, sha256: string, field = 'issuerSha256'): AuthorityRecord {
  const found = authorityBySha256(ctx, sha256);
  if (found) return found;
  const known = ctx.authorities.list().map((a) => `"${a.name}" (${a.sha256Hex.slice(0, 16)}…)`);
  throw new CertdeskError(
    'ISSUER_UNKNOWN',
    `No CA here has the certificate SHA-256 ${sha256.slice(0, 64)}. ${known.length ? `Known: ${known.join(', ')}.` : 'No CA is held here yet.'} Send the CA certificate across first, or correct ${field}.`,
    { field },
  );
}

/** The certificate with this serial under this CA, if the inventory holds it. */
export function certificateUnder(ctx: CoreContext, authorityId: string, serialHex: string): CertificateRow | undefined {
  const serial = serialHex.trim().toLowerCase().replaceAll(':', '');
  if (!/^[0-9a-f]{1,64}$/.test(serial)) return undefined;
  return ctx.certificates.findByRef(serial, ctx.clock.now()).find((row) => row.authorityId === authorityId && row.serialHex === serial);
}

/** Runs a check and keeps its named refusal instead of throwing: a review lists problems, it never fails. */
export function problemOf(check: () => void): CertdeskError | null {
  try {
    check();
    return null;
  } catch (error) {
    if (error instanceof CertdeskError) return error;
    throw error;
  }
}

export async function problemOfAsync<T>(
  check: () => Promise<T>,
): Promise<{ value: T; problem: null } | { value: null; problem: CertdeskError }> {
  try {
    return { value: await check(), problem: null };
  } catch (error) {
    if (error instanceof CertdeskError) return { value: null, problem: error };
    throw error;
  }
}
