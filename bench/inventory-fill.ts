import type { Database } from 'better-sqlite3';
import { dnKey } from '../src/main/core/pki/names.ts';
import { x509 } from '../src/main/core/pki/x509.ts';
import { CertificateRepository } from '../src/main/core/store/certificate-repository.ts';

/**
 * Grows a data folder's inventory to `target` certificates by copying one issued row (its DER, its
 * issuer) under new ids, serials, names, fingerprints and expiries spread over 400 days: enough to
 * make the list, its search and its paging work as they would on a large inventory. The rows are
 * 'csr-only' (no key), so nothing is sealed per row. Returns the rows added.
 */
export function fillInventory(db: Database, target: number): number {
  const template = db.prepare('SELECT * FROM certificates LIMIT 1').get() as Record<string, unknown> | undefined;
  if (!template) throw new Error('fillInventory needs one issued certificate to copy');
  const insert =
    db.prepare(`INSERT INTO certificates (id, authority_id, profile, serial_hex, common_name, subject, subject_lines, issuer, sans, key_type, key_storage, key_id, not_before, not_after, sha256_hex, sha256_b64u, sha1_hex, replaces_id, revoked_at, revocation_reason, cert_der, created_at, search_text, subject_key)
    VALUES (@id, @authority_id, @profile, @serial_hex, @common_name, @subject, @subject_lines, @issuer, @sans, @key_type, 'csr-only', NULL, @not_before, @not_after, @sha256_hex, @sha256_b64u, @sha1_hex, NULL, NULL, NULL, @cert_der, @created_at, @search_text, @subject_key)`);
  // Each synthetic row gets its own indexed subject (migration 0330), as a real issuance stores it, so the
  // DN conflict check of an issuance into this inventory reads the index, not 100k undecodable rows.
  const keyShape = dnKey(new Uint8Array(new x509.Name('CN=client-0').toArrayBuffer()));
  const existing = (db.prepare('SELECT count(*) AS n FROM certificates').get() as { n: number }).n;
  const fill = db.transaction((count: number) => {
    for (let k = 0; k < count; k++) {
      const hex = k.toString(16).padStart(32, '0');
      const cn = `client-${k}`;
      insert.run({
        ...template,
        id: `cert_bench${k}`,
        serial_hex: hex,
        common_name: cn,
        sha256_hex: hex + hex,
        sha256_b64u: `b${k}`,
        sha1_hex: hex,
        not_after: new Date(Date.now() + (k % 400) * 86_400_000).toISOString(),
        search_text: `${cn} cn=${cn} ${hex}`,
        subject_key: keyShape.replace('client-0', cn),
      });
    }
  });
  const count = Math.max(0, target - existing);
  fill(count);
  // Rows written past the repository go into the trigram index together, as a batch of issuances does.
  new CertificateRepository(db).indexPendingSearch();
  return count;
}
