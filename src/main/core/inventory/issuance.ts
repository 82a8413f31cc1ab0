import type {
  CertificateDetail,
  CsrView,
  IssueInput,
  KeyStorage,
  KeyType,
  RenewInput,
  SanEntry,
  SubjectFields,
} from '../../../shared/contract/index.ts';
import { BACKDATE_MS } from '../ca/create-authority.ts';
import { LeafTemplates } from '../ca/leaf-templates.ts';
import type { Transaction } from '../store/database.ts';
import type { CoreContext } from '../context.ts';
import { assertInService } from '../ca/retirement.ts';
import { CertdeskError } from '../errors.ts';
import { newId } from '../ids.ts';
import { parseCsr } from '../pki/csr.ts';
import { checkConfirmedSubject, csrSubjectFields, nameText } from '../pki/csr-names.ts';
import { keySpec } from '../pki/key-types.ts';
import type { KeygenPool } from '../pki/keygen-pool.ts';
import { buildName, nameDer } from '../pki/names.ts';
import { checkDays, checkKeyType, findProfile, type Profile } from '../pki/profiles.ts';
import { randomSerialHex } from '../pki/serial.ts';
import { thumbprints } from '../pki/thumbprints.ts';
import { x509 } from '../pki/x509.ts';
import type { Crypto, CryptoKey } from '../pki/webcrypto.ts';
import type { AuthorityRecord } from '../store/authority-repository.ts';
import type { CertificateRecord } from '../store/certificate-repository.ts';
import { recordFromIssued } from './certificate-record.ts';
import type { Inventory } from './inventory.ts';
import { databaseMark, unchangedSince, type DatabaseMark } from '../store/database-mark.ts';
import { SubjectConflicts, type SubjectField } from './subject-conflicts.ts';
import { requireCaKey } from '../workstation/role-guard.ts';

interface KeyMaterial {
  /** The key itself, or its SPKI DER as the keygen pool answers it. */
  publicKey: CryptoKey | x509.PublicKey | Uint8Array;
  keyType: KeyType;
  /** Present when certdesk generated the key and must seal it. */
  pkcs8?: Uint8Array;
  /** The vault's epoch when the key was asked for (with pkcs8): a lock since then refuses to seal it. */
  vaultEpoch?: number;
  /** Present when an existing sealed key is reused (renew --same-key). */
  existingKeyId?: string | null;
  storage: KeyStorage;
  /** Set when this issuance made the key or read it from a CSR just now, so its type is known first-hand. */
  readNow?: true;
}

interface SignRequest {
  ca: AuthorityRecord;
  profile: Profile;
  subject: x509.Name;
  sans: SanEntry[];
  days: number;
  key: KeyMaterial;
  replacesId: string | null;
  action: string;
  progress: (step: number, label: string) => void;
  /** Where a DN conflict points: the DN must not already identify another lineage or application (see SubjectConflicts). */
  conflictField: SubjectField;
  /** The database as of the check that found the DN free: the commit checks again only if anything was written since. */
  conflictsClearAt: DatabaseMark;
}

/** A leaf signed (and its key sealed) but not yet written: `Issuance.commit` writes it. */
export interface SignedLeaf {
  p: SignRequest;
  record: CertificateRecord;
  spki: Uint8Array;
  sealed: Uint8Array | undefined;
  keyId: string | null;
  /** Whether the CA's key is proven to match its certificate (the detail's lint then skips the chain check). */
  paired: boolean;
}

/** Issuing (generated key or CSR) and renewing leaf certificates under a profile. */
export class Issuance {
  private readonly ctx: CoreContext;
  private readonly inventory: Inventory;
  private readonly conflicts: SubjectConflicts;
  private readonly templates: LeafTemplates;
  private readonly keygen: KeygenPool;
  /** Made once: better-sqlite3 builds a transaction's wrapper anew on each `db.transaction` call. */
  private readonly commitTx: Transaction<(leaves: readonly SignedLeaf[], fieldPrefix?: (index: number) => string) => void>;

  constructor(ctx: CoreContext, inventory: Inventory, keygen: KeygenPool) {
    this.ctx = ctx;
    this.inventory = inventory;
    this.keygen = keygen;
    this.conflicts = new SubjectConflicts(ctx.db);
    this.templates = new LeafTemplates(ctx.crypto);
    this.commitTx = ctx.db.transaction((leaves: readonly SignedLeaf[], fieldPrefix?: (index: number) => string) =>
      this.writeLeaves(leaves, fieldPrefix),
    );
  }

  /** What a CSR asks for, for the operator to read before deciding on the subject. */
  async inspectCsr(csr: string): Promise<CsrView> {
    const parsed = await parseCsr(csr, this.ctx.crypto);
    const { fields, otherAttributes } = csrSubjectFields(parsed.subject);
    return {
      subject: nameText(parsed.subject),
      subjectFields: fields,
      otherAttributes,
      sans: parsed.sans,
      keyType: parsed.keyType,
      signatureAlgorithm: parsed.signatureAlgorithm,
    };
  }

  /**
   * The operator decides the subject. The CSR's is the requester's claim: used only when the operator
   * confirmed it (useCsrSubject), and then it is the only one given.
   */
  private csrSubject(operator: SubjectFields | undefined, useCsrSubject: boolean, requested: x509.Name, operatorSans: boolean): x509.Name {
    if (useCsrSubject) {
      if (hasSubject(operator))
        throw new CertdeskError(
          'VALIDATION',
          "Give either the subject or useCsrSubject, not both: the operator's subject would silently win over the CSR's you confirmed.",
          { field: 'subject' },
        );
      checkConfirmedSubject(requested);
      return requested;
    }
    // SANs the operator typed may stand alone, as for a generated key; the CSR's name alone may not.
    if (!hasSubject(operator) && !operatorSans)
      throw new CertdeskError(
        'SUBJECT_MISSING',
        "Give the certificate's subject (subject.commonName, …): a CSR's own subject is used only when you confirm it (useCsrSubject: true, or `certdesk sign --use-csr-subject`) after reading it with certs:inspect-csr.",
        { field: 'subject.commonName' },
      );
    return buildName(toSubjectInput(operator ?? {}));
  }

  async issue(input: IssueInput): Promise<CertificateDetail> {
    requireCaKey(this.ctx.db, 'issuing a certificate');
    const signed = await this.prepareIssue(input);
    return this.commitOne(signed);
  }

  /**
   * Everything an issuance does before its rows are written: checks, keygen, signing, sealing. The
   * bulk issue (bulk-issuance.ts) prepares many and commits them in one transaction.
   */
  async prepareIssue(input: IssueInput): Promise<SignedLeaf> {
    const profile = findProfile(input.profile);
    const ca = this.issuingCa(input.ca);
    const days = input.days ?? profile.defaultDays;
    checkDays(profile, days);
    const progress = this.progress(input.progressId, 4);
    let subject: x509.Name;
    let sans: SanEntry[];
    let key: KeyMaterial;
    let subjectField: SubjectField = 'subject.commonName';
    let conflictsClearAt: DatabaseMark;
    if (input.source.kind === 'csr') {
      const csr = await parseCsr(input.source.csr, this.ctx.crypto);
      checkKeyType(profile, csr.keyType, 'csr');
      if (input.source.useCsrSubject) subjectField = 'csr';
      subject = this.csrSubject(input.subject, input.source.useCsrSubject === true, csr.subject, (input.sans ?? []).length > 0);
      // The CSR's SANs are checked like typed ones when it is parsed; the operator's, when given, replace them.
      sans = input.sans ?? csr.sans;
      key = { publicKey: csr.spki ?? csr.request.publicKey, keyType: csr.keyType, storage: 'csr-only', readNow: true };
      if (subject.getField('CN').length === 0 && sans.length === 0) {
        throw new CertdeskError(
          'SUBJECT_MISSING',
          'The certificate would have neither a subject CN nor a SAN. Give a common name (subject.commonName) or SANs to put in it.',
          { field: subjectField },
        );
      }
      conflictsClearAt = this.checkConflicts(subject, ca.id, subjectField);
      this.checkSans(profile, sans);
    } else {
      const keyType = input.source.keyType ?? profile.defaultKeyType;
      checkKeyType(profile, keyType);
      if (!hasSubject(input.subject) && (input.sans ?? []).length === 0) {
        throw new CertdeskError(
          'SUBJECT_MISSING',
          'Give the certificate a common name or at least one SAN (DNS, URI or email) so Auth0 and the edge can identify the client.',
          { field: 'subject.commonName' },
        );
      }
      subject = buildName(toSubjectInput(input.subject ?? {}));
      sans = input.sans ?? [];
      // Before the key is made: a refused subject leaves nothing behind, not even a generated key.
      conflictsClearAt = this.checkConflicts(subject, ca.id, subjectField);
      // Before the key is made too: a refused SAN leaves no key behind.
      this.checkSans(profile, sans);
      await this.ctx.vault.ensureReady();
      const vaultEpoch = this.ctx.vault.epoch;
      progress(1, `Generating the ${keySpec(keyType).label} key`);
      const made = await this.keygen.generate(keyType);
      key = { publicKey: made.spki, keyType, pkcs8: made.pkcs8, storage: 'sealed', readNow: true, vaultEpoch };
    }
    return this.sign({
      ca,
      profile,
      subject,
      sans,
      days,
      key,
      replacesId: null,
      action: input.source.kind === 'csr' ? 'cert.sign-csr' : 'cert.issue',
      progress,
      // Checked again where the row is written: two issuances of one DN racing each other cannot both pass.
      conflictField: subjectField,
      conflictsClearAt,
    });
  }

  /** What every renewal checks first: the predecessor may be renewed, under its profile and CA, for these days. */
  private renewalBase(ref: string, requestedDays: number | undefined) {
    const old = this.inventory.resolve(ref);
    if (old.revokedAt)
      throw new CertdeskError(
        'CERT_REVOKED',
        `This certificate was revoked on ${old.revokedAt} (${old.revocationReason}); a revoked certificate is not renewed. Issue a new one instead.`,
        { field: 'cert' },
      );
    if (!old.authorityId)
      throw new CertdeskError('VALIDATION', 'This certificate was imported for tracking only; renew it at the CA that issued it.', {
        field: 'cert',
      });
    const profile = findProfile(old.profile ?? undefined);
    const ca = this.issuingCa(old.authorityId);
    const days = requestedDays ?? profile.defaultDays;
    checkDays(profile, days);
    const oldCert = new x509.X509Certificate(old.certDer);
    // While this lineage was expired its DN was free: another lineage or a bound application may hold it now.
    const conflictsClearAt = this.checkConflicts(oldCert.subjectName, ca.id, 'cert', old.id);
    return { old, profile, ca, days, oldCert, conflictsClearAt };
  }

  /**
   * The successor of a CSR-mode certificate, from the workload's new CSR: the predecessor's subject
   * and names (the CSR may not change them), a key the predecessor did not have, and no key in certdesk.
   * `days` defaults to the profile's (the offline signer passes the request's). With `sameKey` (a
   * publisher's same-key renewal, its CSR signed by the predecessor's key) the key must be the predecessor's instead.
   */
  async renewFromCsr(ref: string, csrPem: string, days?: number, options: { sameKey?: boolean } = {}): Promise<CertificateDetail> {
    requireCaKey(this.ctx.db, 'renewing a certificate');
    const { old, profile, ca, days: validDays, oldCert, conflictsClearAt } = this.renewalBase(ref, days);
    const csr = await parseCsr(csrPem, this.ctx.crypto);
    checkKeyType(profile, csr.keyType, 'csr');
    const requested = nameText(csr.subject);
    if (requested !== nameText(oldCert.subjectName))
      throw new CertdeskError(
        'CSR_SUBJECT_MISMATCH',
        `The workload's CSR asks for "${requested}", not the predecessor's subject "${nameText(oldCert.subjectName)}": create the CSR again with -subj matching the certificate.`,
        { field: 'csr' },
      );
    const spki = (key: x509.PublicKey) => thumbprints(new Uint8Array(key.rawData)).sha256Hex;
    const kept = spki(csr.request.publicKey) === spki(oldCert.publicKey);
    if (options.sameKey && !kept)
      throw new CertdeskError('CSR_KEY_NOT_KEPT', "A same-key renewal's CSR carries another key than the predecessor's.", { field: 'csr' });
    if (kept && !options.sameKey)
      throw new CertdeskError('CSR_KEY_REUSED', "The workload's CSR carries the old certificate's key: generate a new key, then the CSR.", {
        field: 'csr',
      });
    const signed = await this.sign({
      ca,
      profile,
      subject: oldCert.subjectName,
      sans: old.sans,
      days: validDays,
      key: { publicKey: csr.spki ?? csr.request.publicKey, keyType: csr.keyType, storage: 'csr-only', readNow: true },
      replacesId: old.id,
      action: 'cert.renew',
      progress: () => {},
      conflictField: 'cert',
      conflictsClearAt,
    });
    return this.commitOne(signed);
  }

  async renew(input: RenewInput): Promise<CertificateDetail> {
    return this.commitOne(await this.signRenewal(input));
  }

  /**
   * The same renewal for a caller that needs only the new row (a rotation's journal): no detail view,
   * so no lint of a certificate signed just now.
   */
  async renewRecord(input: RenewInput): Promise<CertificateRecord> {
    return this.commitRecord(await this.signRenewal(input));
  }

  private async signRenewal(input: RenewInput): Promise<SignedLeaf> {
    requireCaKey(this.ctx.db, 'renewing a certificate');
    const { old, profile, ca, days, oldCert, conflictsClearAt } = this.renewalBase(input.cert, input.days);
    const progress = this.progress(input.progressId, 4);
    let key: KeyMaterial;
    if (input.sameKey) {
      key = { publicKey: oldCert.publicKey, keyType: old.keyType, existingKeyId: old.keyId, storage: old.keyStorage };
    } else {
      if (old.keyStorage !== 'sealed') {
        throw new CertdeskError(
          'NO_PRIVATE_KEY',
          "This certificate's key lives with the client (CSR mode), so certdesk cannot make a new one. Sign a new CSR from the client, or renew with the same key (--same-key).",
          { field: 'sameKey' },
        );
      }
      await this.ctx.vault.ensureReady();
      const vaultEpoch = this.ctx.vault.epoch;
      progress(1, `Generating a new ${keySpec(old.keyType).label} key`);
      const made = await this.keygen.generate(old.keyType);
      key = { publicKey: made.spki, keyType: old.keyType, pkcs8: made.pkcs8, storage: 'sealed', readNow: true, vaultEpoch };
    }
    return this.sign({
      ca,
      profile,
      subject: oldCert.subjectName,
      sans: old.sans,
      days,
      key,
      replacesId: old.id,
      action: 'cert.renew',
      progress,
      conflictField: 'cert',
      conflictsClearAt,
    });
  }

  private async sign(p: SignRequest): Promise<SignedLeaf> {
    try {
      return await this.signNow(p);
    } finally {
      // Sealed, or refused: either way this issuance's copy of a private key it made leaves memory now.
      p.key.pkcs8?.fill(0);
    }
  }

  private async signNow(p: SignRequest): Promise<SignedLeaf> {
    // A lock from here on (or since the key was made) ends this issuance: the CA key it opened, or the key it
    // made, must not sign or be sealed for a certificate after the store was locked.
    const vaultEpoch = p.key.vaultEpoch ?? this.ctx.vault.epoch;
    // Read again: the CA may have been retired since the caller looked it up.
    assertInService(this.ctx.authorities.get(p.ca.id, 'ca'), 'ca');
    const now = this.ctx.clock.now();
    const notAfter = new Date(now.getTime() + p.days * 86_400_000);
    if (notAfter > new Date(p.ca.notAfter)) {
      const max = Math.floor((new Date(p.ca.notAfter).getTime() - now.getTime()) / 86_400_000);
      throw new CertdeskError(
        'VALIDITY_OUT_OF_RANGE',
        `${p.days} days would outlive the issuing CA "${p.ca.name}" (expires ${p.ca.notAfter}); choose at most ${max} days, or renew the CA first.`,
        { field: 'days' },
      );
    }
    const issuer = await this.ctx.authorities.issuerMaterial(p.ca);
    p.progress(2, 'Signing the certificate');
    const { template, paired } = await this.templates.get(p.ca, issuer, p.profile);
    const spki = await spkiOf(p.key.publicKey, this.ctx.crypto);
    const fields = {
      serialHex: randomSerialHex(this.ctx.crypto),
      notBefore: new Date(now.getTime() - BACKDATE_MS),
      notAfter,
      subject: nameDer(p.subject),
      spki,
      sans: p.sans,
    };
    const der = template.sign(template.tbs(fields), issuer.keyObject);
    let keyId = p.key.existingKeyId ?? null;
    let sealed: Uint8Array | undefined;
    if (p.key.pkcs8) {
      p.progress(3, 'Sealing the private key');
      keyId = newId('key');
      sealed = await this.ctx.vault.sealKey(keyId, p.key.pkcs8);
      p.key.pkcs8.fill(0);
    }
    // A key made before a lock never becomes a certificate's key after it, even one this issuance was holding.
    if (this.ctx.vault.epoch !== vaultEpoch)
      throw new CertdeskError(
        'VAULT_LOCKED',
        `The store was locked while this certificate was being issued, so nothing was written${p.key.pkcs8 ? ' and its new key was discarded' : ''}. Unlock the store and issue it again.`,
        { field: 'passphrase' },
      );
    const createdAt = now.toISOString();
    const record = recordFromIssued(
      der,
      { ...fields, commonName: p.subject.getField('CN')[0] ?? null },
      {
        authorityId: p.ca.id,
        profile: p.profile.name,
        keyType: p.key.keyType,
        keyStorage: p.key.storage,
        keyId,
        replacesId: p.replacesId,
        createdAt,
      },
    );
    return { p, record, spki, sealed, keyId, paired };
  }

  /**
   * Writes signed leaves in one transaction, each checked again for a DN conflict where its row is
   * written (two issuances of one DN racing each other cannot both pass, nor two items of one batch).
   * The audit entries join the same transaction, so the log's checkpoint advances once per commit.
   * `fieldPrefix` names the batch item a refusal is about (`items.3.`); nothing is written then.
   */
  commit(leaves: readonly SignedLeaf[], fieldPrefix?: (index: number) => string): void {
    this.commitTx.immediate(leaves, fieldPrefix);
  }

  /** The rows of `commit`, inside its transaction. */
  private writeLeaves(leaves: readonly SignedLeaf[], fieldPrefix?: (index: number) => string): void {
    leaves.forEach(({ p, record, spki, sealed, keyId }, index) => {
      try {
        if (!unchangedSince(this.ctx.db, p.conflictsClearAt))
          this.conflicts.check(p.subject, p.ca.id, new Date(record.createdAt), p.conflictField, p.replacesId ?? undefined);
      } catch (error) {
        if (fieldPrefix && error instanceof CertdeskError)
          throw new CertdeskError(error.code, error.message, { field: `${fieldPrefix(index)}${error.field ?? ''}`, cause: error });
        throw error;
      }
      if (sealed && keyId)
        this.ctx.keys.insert({
          id: keyId,
          keyType: p.key.keyType,
          publicKeySha256: thumbprints(spki).sha256Hex,
          sealed,
          createdAt: record.createdAt,
        });
      this.ctx.certificates.insert(record);
      this.ctx.audit.append(p.action, record.id, {
        serial: record.serialHex,
        cn: record.commonName,
        ca: p.ca.name,
        profile: p.profile.name,
        days: p.days,
        key: p.key.storage,
        ...(p.replacesId ? { replaces: p.replacesId } : {}),
      });
    });
  }

  private commitRecord(signed: SignedLeaf): CertificateRecord {
    this.commit([signed]);
    signed.p.progress(4, 'Done');
    return signed.record;
  }

  private commitOne(signed: SignedLeaf): Promise<CertificateDetail> {
    this.commitRecord(signed);
    // Signed just now with a key proven to match the CA's certificate, over a key certdesk made or read
    // for it: the detail's lint need not verify the signature or read the key again.
    return this.inventory.getById(signed.record.id, {
      ...(signed.paired ? { signedBy: signed.p.ca.certDer } : {}),
      ...(signed.p.key.readNow ? { key: { spki: signed.spki, keyType: signed.p.key.keyType } } : {}),
    });
  }

  /**
   * Refuses a DN that identifies someone else (SubjectConflicts.check) before the key is made, and
   * returns the database's mark from before the check: the commit, where the check runs again so that
   * two issuances of one DN cannot both pass, skips it when nothing has been written since. With no
   * write only time has passed, and that only expires certificates, so a DN that was free stays free.
   */
  private checkConflicts(subject: x509.Name, caId: string, field: SubjectField, successorOf?: string): DatabaseMark {
    const mark = databaseMark(this.ctx.db);
    this.conflicts.check(subject, caId, this.ctx.clock.now(), field, successorOf);
    return mark;
  }

  private issuingCa(ref: string): AuthorityRecord {
    const ca = this.ctx.authorities.get(ref, 'ca');
    assertInService(ca, 'ca');
    if (ca.kind !== 'issuing')
      throw new CertdeskError(
        'VALIDATION',
        `"${ca.name}" is a root CA; keep it for signing issuing CAs and issue client certificates from an issuing CA below it.`,
        { field: 'ca' },
      );
    return ca;
  }

  private checkSans(profile: Profile, sans: SanEntry[]): void {
    sans.forEach((san, i) => {
      if (!profile.sanTypes.includes(san.type))
        throw new CertdeskError(
          'VALIDATION',
          `Profile ${profile.name} does not allow ${san.type} SANs; allowed: ${profile.sanTypes.join(', ')}.`,
          { field: `sans.${i}.type` },
        );
    });
  }

  private progress(id: string | undefined, total: number): (step: number, label: string) => void {
    return (step, label) => {
      if (id) this.ctx.emit({ type: 'progress', progressId: id, step, total, label });
    };
  }
}

async function spkiOf(key: KeyMaterial['publicKey'], crypto: Crypto): Promise<Uint8Array> {
  if (key instanceof Uint8Array) return key;
  const publicKey = key instanceof x509.PublicKey ? await key.export(crypto) : key;
  return new Uint8Array(await crypto.subtle.exportKey('spki', publicKey));
}

function hasSubject(s: SubjectFields | undefined): boolean {
  return Boolean(s && (s.commonName || s.organization || s.organizationalUnit || s.country));
}

function toSubjectInput(s: SubjectFields) {
  return { commonName: s.commonName ?? '', organization: s.organization, organizationalUnit: s.organizationalUnit, country: s.country };
}
