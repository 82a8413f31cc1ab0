import { CertdeskError } from '../errors.ts';
import { nameText } from '../pki/csr-names.ts';
import { nameDer, recentDnKey, sameDn } from '../pki/names.ts';
import { x509 } from '../pki/x509.ts';
import type { Database, Statement } from '../store/database.ts';
import { prepared } from '../store/prepared.ts';

interface ActiveRow {
  id: string;
  authority_id: string;
  serial_hex: string;
  not_after: string;
  subject_key: string | null;
  cert_der: Buffer;
}

interface BoundRow {
  certificate_id: string;
  client_id: string;
  tenant_id: string;
  tenant_name: string | null;
  state: string;
  subject_key: string | null;
  cert_der: Buffer;
}

/**
 * Where the refusal points: the operator's subject field, the CSR whose subject was confirmed, or
 * the certificate being renewed, rotated or bound.
 */
export type SubjectField = 'subject.commonName' | 'csr' | 'cert';

/**
 * Refuses a subject DN that already identifies someone else. Auth0's `cert_subject_dn` credentials
 * match by DN alone, so a second certificate with the DN of a bound application, or of another
 * lineage's certificate that an edge under the same root still admits, would log in as that client.
 * Only a successor in the same lineage (renewal, rotation) may carry a DN on: those paths pass the
 * certificate they replace, and that lineage's own certificates and bindings are not conflicts.
 * DNs compare with the one rule, {@link sameDn}.
 */
const subjectDns = new WeakMap<x509.Name, SubjectDn>();

/** A subject's DER and indexed key, worked out once per Name object: an issuance checks its subject twice (early, and in its commit). */
function subjectDn(subject: x509.Name): SubjectDn {
  let dn = subjectDns.get(subject);
  if (!dn) {
    const der = nameDer(subject);
    subjectDns.set(subject, (dn = { der, key: recentDnKey(der) }));
  }
  return dn;
}

export class SubjectConflicts {
  private readonly db: Database;
  constructor(db: Database) {
    this.db = db;
  }

  /** Prepared once per connection: every issuance runs these twice, and preparing the join costs more than running it. */
  private prepare(sql: string): Statement {
    return prepared(this.db, sql);
  }

  /**
   * Throws SUBJECT_DN_CONFLICT naming the certificate or application that already answers to `subject`.
   * `successorOf` is the certificate a renewal replaces: its lineage may keep the DN it already has.
   */
  check(subject: x509.Name, issuingCaId: string, now: Date, field: SubjectField, successorOf?: string): void {
    const dn = subjectDn(subject);
    // An empty subject identifies nobody: Auth0 cannot register it as a DN credential.
    if (dn.der.byteLength <= 2) return;
    // Most issuances bring a DN no certificate has: one indexed probe then says so, where the two
    // searches below (bindings and active certificates, both through certificates) would each find nothing.
    if (!this.anyCertificateMayCarry(dn)) return;
    const own = successorOf === undefined ? undefined : this.lineageOf(successorOf);
    const otherLineage = (certificateId: string) => own === undefined || this.lineageOf(certificateId) !== own;
    // A renewal cannot change its DN, so its way out is a new lineage under another subject.
    const fix = (id: string) =>
      own === undefined
        ? `Choose a different subject, or renew certificate ${id} to replace it (certdesk renew ${id}).`
        : `A renewal keeps the DN of certificate ${successorOf}, which now identifies the other one: issue a new certificate with a different subject instead.`;
    const bound = this.boundTo(dn, (row) => otherLineage(row.certificate_id));
    if (bound)
      this.refuseBound(
        bound,
        nameText(subject),
        field,
        'a new certificate with it would log in as that application',
        fix(bound.certificate_id),
      );
    const active = this.activeUnderRoot(dn, issuingCaId, now, (row) => otherLineage(row.id));
    if (active) {
      throw new CertdeskError(
        'SUBJECT_DN_CONFLICT',
        `The subject DN "${nameText(subject)}" already belongs to active certificate ${active.id} (serial ${active.serial_hex}, valid until ${active.not_after}, lineage ${this.lineageOf(active.id)}) under the same root CA; a second lineage with the same DN would be indistinguishable from it. ${fix(active.id)}`,
        { field },
      );
    }
  }

  /**
   * Binding a certificate as a cert_subject_dn credential: refused when its DN is already bound to
   * another application of the same tenant, which would then share one login. The same application
   * may take any certificate of its DN (a successor beside the one it replaces). Another tenant is
   * not a conflict: Auth0 matches a DN among one tenant's credentials only.
   */
  checkBinding(subject: x509.Name, tenantId: string, clientId: string, field: SubjectField): void {
    const dn = subjectDn(subject);
    if (dn.der.byteLength <= 2) return;
    const bound = this.boundTo(dn, (row) => row.tenant_id === tenantId && row.client_id !== clientId);
    if (bound)
      this.refuseBound(
        bound,
        nameText(subject),
        field,
        'binding it to another application as well would let one certificate log in as both',
        `Bind a certificate with a different subject, or unbind it from ${bound.client_id} first.`,
      );
  }

  private refuseBound(bound: BoundRow, dn: string, field: SubjectField, risk: string, fix: string): never {
    const tenant = bound.tenant_name ? ` in tenant "${bound.tenant_name}"` : '';
    throw new CertdeskError(
      'SUBJECT_DN_CONFLICT',
      `The subject DN "${dn}" is bound to application ${bound.client_id}${tenant} (through certificate ${bound.certificate_id}, lineage ${this.lineageOf(bound.certificate_id)}); Auth0 matches cert_subject_dn credentials by DN, so ${risk}. ${fix}`,
      { field },
    );
  }

  /** Whether some certificate has this DN's key, or has none (its DER did not parse when written, so it may be any DN). */
  private anyCertificateMayCarry(dn: SubjectDn): boolean {
    const row = this.prepare(
      `SELECT EXISTS (SELECT 1 FROM certificates WHERE subject_key = ?)
           OR EXISTS (SELECT 1 FROM certificates WHERE subject_key IS NULL) AS found`,
    ).get(dn.key) as { found: number };
    return row.found === 1;
  }

  private boundTo(dn: SubjectDn, counts: (row: BoundRow) => boolean): BoundRow | undefined {
    const rows = this.prepare(
      `SELECT b.certificate_id, b.client_id, b.tenant_id, t.name AS tenant_name, b.state, c.subject_key, c.cert_der
           FROM bindings b JOIN certificates c ON c.id = b.certificate_id LEFT JOIN tenants t ON t.id = b.tenant_id
          WHERE b.state <> 'removed' AND b.credential_type = 'cert_subject_dn'
            AND (c.subject_key = ? OR c.subject_key IS NULL)
          ORDER BY b.created_at`,
    ).all(dn.key) as BoundRow[];
    return rows.find((row) => sameSubject(row, dn) && counts(row));
  }

  /** Not revoked and not expired (a superseded certificate still opens the door until it expires), under the same root. */
  private activeUnderRoot(dn: SubjectDn, issuingCaId: string, now: Date, counts: (row: ActiveRow) => boolean): ActiveRow | undefined {
    const roots = this.rootsByAuthority();
    const root = roots.get(issuingCaId);
    const rows = this.prepare(
      `SELECT id, authority_id, serial_hex, not_after, subject_key, cert_der FROM certificates
          WHERE (subject_key = ? OR subject_key IS NULL) AND authority_id IS NOT NULL AND revoked_at IS NULL AND not_after > ?
          ORDER BY created_at`,
    ).all(dn.key, now.toISOString()) as ActiveRow[];
    return rows.find((row) => roots.get(row.authority_id) === root && sameSubject(row, dn) && counts(row));
  }

  /** Each authority's root: the top of its parent chain. */
  private rootsByAuthority(): Map<string, string> {
    const parents = new Map(
      (this.prepare('SELECT id, parent_id FROM authorities').all() as Array<{ id: string; parent_id: string | null }>).map((a) => [
        a.id,
        a.parent_id,
      ]),
    );
    const roots = new Map<string, string>();
    for (const id of parents.keys()) {
      let top = id;
      // A cycle cannot be written (parents exist before children); the bound only guards the loop.
      for (let hops = 0; hops < parents.size && parents.get(top); hops++) top = parents.get(top) ?? top;
      roots.set(id, top);
    }
    return roots;
  }

  /** A lineage is named by its first certificate: the one every renewal in it replaces, directly or not. */
  private lineageOf(certificateId: string): string {
    const row = this.prepare(
      `WITH RECURSIVE up(id, replaces_id) AS (
           SELECT id, replaces_id FROM certificates WHERE id = ?
           UNION ALL SELECT c.id, c.replaces_id FROM certificates c JOIN up ON c.id = up.replaces_id)
         SELECT id FROM up WHERE replaces_id IS NULL`,
    ).get(certificateId) as { id: string } | undefined;
    return row?.id ?? certificateId;
  }
}

/** A subject DN to look for: its DER, and its indexed key (see dnKey). */
interface SubjectDn {
  der: Uint8Array;
  key: string;
}

/**
 * Whether a row's certificate has the subject `dn`. Equal keys are sameDn (that is what the key is),
 * so a row with one needs no decoding; a row without one (its DER did not parse when written) is read the old way.
 */
function sameSubject(row: { subject_key: string | null; cert_der: Buffer }, dn: SubjectDn): boolean {
  if (row.subject_key !== null) return row.subject_key === dn.key;
  return sameDn(nameDer(new x509.X509Certificate(new Uint8Array(row.cert_der)).subjectName), dn.der);
}
