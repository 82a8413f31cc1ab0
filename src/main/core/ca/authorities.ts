import type {
  AuthorityView,
  CaKeyType,
  CaRevocationReason,
  CertdeskEvent,
  CreateAuthorityInput,
  ImportCaInput,
  SetAuthorityUrlsInput,
} from '../../../shared/contract/index.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Clock } from '../clock.ts';
import { CertdeskError } from '../errors.ts';
import { newId } from '../ids.ts';
import { keySpec } from '../pki/key-types.ts';
import { thumbprints } from '../pki/thumbprints.ts';
import { defaultCrypto, x509 } from '../pki/x509.ts';
import type { KeyVault } from '../secrets/key-vault.ts';
import type { Database } from '../store/database.ts';
import { AuthorityRepository, type AuthorityRecord } from '../store/authority-repository.ts';
import { CrlRepository } from '../store/crl-repository.ts';
import { KeyRepository } from '../store/key-repository.ts';
import { assertInService, revokeAuthority, setRetired } from './retirement.ts';
import { checkAuthorityUrls, NO_AUTHORITY_URLS, setAuthorityUrls } from './authority-urls.ts';
import { addYears, BACKDATE_MS, createAuthorityCertificate } from './create-authority.ts';
import type { IssuerMaterial } from '../pki/issuer.ts';
import { toAuthorityView } from './authority-view.ts';
import { importAuthority } from './import-authority.ts';
import { requireCaKey } from '../workstation/role-guard.ts';
import type { Crypto } from '../pki/webcrypto.ts';

export const DEFAULT_CA_KEY: CaKeyType = 'ec-p256';
export const DEFAULT_ROOT_YEARS = 10;
export const DEFAULT_ISSUING_YEARS = 5;
export const MAX_CA_YEARS = 30;

export type Emit = (event: CertdeskEvent) => void;

/** The root and issuing CAs: creation, listing, and access to a CA's signing key. */
export class Authorities {
  private readonly repo: AuthorityRepository;
  private readonly keys: KeyRepository;
  private readonly db: Database;
  private readonly vault: KeyVault;
  private readonly clock: Clock;
  private readonly crypto: Crypto;

  private readonly audit: AuditLog | undefined;

  constructor(db: Database, vault: KeyVault, clock: Clock, crypto: Crypto = defaultCrypto, audit?: AuditLog) {
    this.audit = audit;
    this.db = db;
    this.vault = vault;
    this.clock = clock;
    this.crypto = crypto;
    this.repo = new AuthorityRepository(db);
    this.keys = new KeyRepository(db);
    this.crls = new CrlRepository(db);
  }

  private readonly crls: CrlRepository;

  /** Views by id: a CA certificate never changes, so it is decoded once per process, not per list. */
  private readonly views = new Map<string, AuthorityView>();

  /** The stored records alone, for callers that need names, parents or certificates and no CRL state. */
  records(): AuthorityRecord[] {
    return this.repo.list();
  }

  list(): AuthorityView[] {
    const crls = this.crls.summaries(this.clock.now().toISOString());
    return this.repo.list().map((record) => this.view(record, crls));
  }

  /** One authority's view with its state now (retirement, latest CRL). */
  viewOf(ref: string): AuthorityView {
    return this.view(this.get(ref));
  }

  /** Stops (or resumes) new issuance under a CA; see retirement.ts. */
  retire(ref: string, retired: boolean): AuthorityView {
    setRetired(this.retirementDeps(), this.get(ref), retired);
    return this.viewOf(ref);
  }

  /** Sets a CA's distribution URLs for the leaves it issues from now on. */
  setUrls(input: SetAuthorityUrlsInput): AuthorityView {
    const ca = this.get(input.ca);
    setAuthorityUrls(this.retirementDeps(), ca, input);
    return this.viewOf(ca.id);
  }

  /** Records an issuing CA's revocation; the caller signs its root's CRL next. */
  revoke(ref: string, reason: CaRevocationReason): AuthorityRecord {
    const ca = this.get(ref);
    revokeAuthority(this.retirementDeps(), ca, reason);
    return this.get(ca.id);
  }

  /** The issuing CAs revoked under a root, as CRL entries. */
  revokedChildren(rootId: string) {
    return this.repo.revokedChildren(rootId);
  }

  private retirementDeps() {
    return { db: this.db, repo: this.repo, clock: this.clock, audit: this.audit };
  }

  /**
   * Parsed CA certificates, decoded once per process (by id and thumbprint, so other bytes under an
   * id would be decoded again): lint, chain building and every signature below a CA need them.
   */
  private readonly parsed = new Map<string, x509.X509Certificate>();

  /** Each authority's certificate, parsed once per process; `records` when the caller read them already. */
  certificates(records: readonly AuthorityRecord[] = this.repo.list()): x509.X509Certificate[] {
    return records.map((record) => this.parsedCertificate(record));
  }

  private parsedCertificate(record: AuthorityRecord): x509.X509Certificate {
    const key = `${record.id}:${record.sha256Hex}`;
    let cert = this.parsed.get(key);
    if (!cert) this.parsed.set(key, (cert = new x509.X509Certificate(record.certDer)));
    return cert;
  }

  private view(record: AuthorityRecord, crls = this.crls.summaries(this.clock.now().toISOString())): AuthorityView {
    let view = this.views.get(record.id);
    if (!view) {
      view = toAuthorityView(record);
      this.views.set(record.id, view);
    }
    // The certificate part never changes; the state does.
    return {
      ...view,
      retiredAt: record.retiredAt ?? null,
      revokedAt: record.revokedAt ?? null,
      revocationReason: record.revocationReason ?? null,
      crl: crls.get(record.id) ?? null,
      urls: record.urls ?? NO_AUTHORITY_URLS,
    };
  }

  /** By id or name; NOT_FOUND names the field and the authorities that do exist. */
  get(ref: string, field = 'ca'): AuthorityRecord {
    const found = this.repo.find(ref);
    if (found) return found;
    const known = this.repo.list().map((a) => a.name);
    const hint = known.length
      ? `Known authorities: ${known.map((n) => `"${n}"`).join(', ')}.`
      : 'No authority exists yet; create a root CA first.';
    throw new CertdeskError('NOT_FOUND', `No certificate authority has the id or name "${ref}". ${hint}`, { field });
  }

  /** The CA's certificate and its unsealed signing key, for signing below it. */
  async issuerMaterial(record: AuthorityRecord): Promise<IssuerMaterial> {
    if (record.keyId === null)
      throw new CertdeskError(
        'NO_PRIVATE_KEY',
        `This workstation holds only the certificate of "${record.name}"; its key is on the offline signer. Send the signer a request instead.`,
        { field: 'ca' },
      );
    // The one place a CA's private key is unsealed: a publisher's caller, old or new, stops here.
    requireCaKey(this.db, `signing with "${record.name}"`);
    const key = this.keys.get(record.keyId);
    if (!key) throw new CertdeskError('KEY_UNSEAL_FAILED', `The private key of "${record.name}" is missing from the database.`);
    const signing = await this.vault.openSigningKey(key.id, key.sealed, record.keyType);
    return { certificate: this.parsedCertificate(record), ...signing, keyType: record.keyType };
  }

  /** Imports an existing CA with its key; see importAuthority. */
  async import(input: ImportCaInput): Promise<AuthorityView> {
    requireCaKey(this.db, 'importing a CA with its private key');
    const record = await importAuthority(
      { db: this.db, vault: this.vault, clock: this.clock, audit: this.audit, repo: this.repo, keys: this.keys, crypto: this.crypto },
      input,
    );
    return this.view(record);
  }

  async create(input: CreateAuthorityInput, emit: Emit = () => {}): Promise<AuthorityView> {
    requireCaKey(this.db, 'creating a CA');
    const name = input.name.trim();
    if (this.repo.find(name)) {
      throw new CertdeskError('CONFLICT', `An authority named "${name}" already exists; choose another name.`, { field: 'name' });
    }
    const parent = input.parent === undefined ? undefined : this.get(input.parent, 'parent');
    if (parent) assertInService(parent, 'parent');
    if (parent?.kind === 'issuing') {
      throw new CertdeskError(
        'VALIDATION',
        `"${parent.name}" is an issuing CA (path length 0) and cannot sign another CA; choose a root as the parent.`,
        { field: 'parent' },
      );
    }
    // Refused before the slow key generation, like every other field.
    const urls = checkAuthorityUrls(input);
    const now = this.clock.now();
    const notBefore = new Date(now.getTime() - BACKDATE_MS);
    const years = input.years ?? (parent ? DEFAULT_ISSUING_YEARS : DEFAULT_ROOT_YEARS);
    let notAfter = addYears(now, years);
    if (parent) {
      const parentEnd = new Date(parent.notAfter);
      if (parentEnd.getTime() <= now.getTime()) {
        throw new CertdeskError(
          'VALIDITY_OUT_OF_RANGE',
          `The parent "${parent.name}" expired on ${parent.notAfter}; it can no longer sign. Create a new root.`,
          { field: 'parent' },
        );
      }
      if (notAfter > parentEnd) {
        if (input.years !== undefined) {
          const maxYears = Math.floor((parentEnd.getTime() - now.getTime()) / (365.25 * 86_400_000));
          throw new CertdeskError(
            'VALIDITY_OUT_OF_RANGE',
            `${years} years would outlive the parent "${parent.name}", which expires on ${parent.notAfter}. Choose at most ${maxYears} year${maxYears === 1 ? '' : 's'}${maxYears < 1 ? ' (renew the root first)' : ''}.`,
            { field: 'years' },
          );
        }
        notAfter = parentEnd;
      }
    }
    const keyType = input.keyType ?? DEFAULT_CA_KEY;
    const id = input.progressId;
    const total = 4;
    const progress = (step: number, label: string) => id && emit({ type: 'progress', progressId: id, step, total, label });

    // Fail on a missing or locked keychain before the slow key generation, not after it.
    await this.vault.ensureReady();
    const issuer = parent ? await this.issuerMaterial(parent) : undefined;
    progress(1, `Generating the ${keySpec(keyType).label} key`);
    const created = await createAuthorityCertificate({
      subject: { commonName: name, organization: input.organization, country: input.country },
      keyType,
      notBefore,
      notAfter,
      crypto: this.crypto,
      ...(issuer ? { issuer } : {}),
    });
    progress(2, 'Sealing the private key');
    const keyId = newId('key');
    const sealed = await this.vault.sealKey(keyId, created.pkcs8);
    created.pkcs8.fill(0);
    const der = new Uint8Array(created.certificate.rawData);
    const spki = new Uint8Array(created.certificate.publicKey.rawData);
    progress(3, 'Saving to the inventory');
    const createdAt = now.toISOString();
    const record: AuthorityRecord = {
      id: newId('ca'),
      name,
      kind: parent ? 'issuing' : 'root',
      parentId: parent?.id ?? null,
      keyId,
      keyType,
      subject: created.certificate.subject,
      serialHex: created.certificate.serialNumber.toLowerCase(),
      notBefore: created.certificate.notBefore.toISOString(),
      notAfter: created.certificate.notAfter.toISOString(),
      sha256Hex: thumbprints(der).sha256Hex,
      certDer: der,
      createdAt,
      urls,
    };
    // Key and certificate land together or not at all.
    this.db
      .transaction(() => {
        this.keys.insert({ id: keyId, keyType, publicKeySha256: thumbprints(spki).sha256Hex, sealed, createdAt });
        this.repo.insert(record);
        this.audit?.append('ca.create', record.id, {
          name,
          kind: record.kind,
          keyType,
          parent: parent?.name ?? null,
          notAfter: record.notAfter,
          ...Object.fromEntries(Object.entries(urls).filter(([, url]) => url !== null)),
        });
      })
      .immediate();
    progress(4, 'Done');
    return this.view(record);
  }
}
