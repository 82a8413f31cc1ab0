import type { SignRequestItem, TransferItem } from '../../../shared/contract/index.ts';
import { CertdeskError } from '../errors.ts';
import type { CertificateDetail } from '../../../shared/contract/index.ts';
import { SubjectConflicts } from '../inventory/subject-conflicts.ts';
import { parseCsr, type ParsedCsr } from '../pki/csr.ts';
import { nameText } from '../pki/csr-names.ts';
import { keySpec } from '../pki/key-types.ts';
import { checkDays, checkKeyType, findProfile, type Profile } from '../pki/profiles.ts';
import { thumbprints } from '../pki/thumbprints.ts';
import { x509 } from '../pki/x509.ts';
import type { AuthorityRecord } from '../store/authority-repository.ts';
import type { CertificateRow } from '../store/certificate-repository.ts';
import type { ItemApplier, ItemReview } from '../transfer/ports.ts';
import { authorityBySha256, certificateUnder, problemOf, problemOfAsync, requireAuthority, type OfflineParts } from './parts.ts';

interface Judgement {
  details: Record<string, string>;
  /** Every problem found, the first one decides the review. */
  problems: CertdeskError[];
  csr: ParsedCsr | null;
  ca: AuthorityRecord | undefined;
  predecessor: CertificateRow | undefined;
}

const DAY = 86_400_000;

/** Who holds the private key of the CSR, as the operator reads it at review. */
function keyHolderText(item: SignRequestItem): string {
  if (item.sameKey) return "the predecessor's key, kept (a same-key renewal): held where the predecessor's is";
  if (item.keyHolder === 'workload') return 'key held by the workload (CSR mode): it never reaches certdesk';
  if (item.keyHolder === 'publisher') return 'a new key made and sealed on the publisher';
  return 'not said by the publisher';
}

/** Everything the operator checks before signing, and every reason this signer cannot sign it. Reads only. */
async function judge(parts: OfflineParts, item: SignRequestItem): Promise<Judgement> {
  const { ctx } = parts;
  const problems: CertdeskError[] = [];
  const note = (p: CertdeskError | null) => p && problems.push(p);
  const details: Record<string, string> = { requestId: item.requestId, purpose: item.purpose };

  const parsed = await problemOfAsync(() => parseCsr(item.csrPem, ctx.crypto));
  const csr = parsed.value;
  if (csr) {
    details.subject = nameText(csr.subject) || '(empty)';
    details.sans = csr.sans.map((s) => `${s.type}:${s.value}`).join(', ') || '(none)';
    details.key = keySpec(csr.keyType).label;
    details.csrSignature = 'valid';
  } else {
    details.csrSignature = parsed.problem.code === 'CSR_SIGNATURE_INVALID' ? 'INVALID' : `unreadable (${parsed.problem.code})`;
    note(parsed.problem);
  }

  const ca = authorityBySha256(ctx, item.issuerSha256);
  details.issuer = ca ? `${ca.name} (${ca.sha256Hex.slice(0, 16)}…)` : `unknown CA ${item.issuerSha256.slice(0, 16)}…`;
  if (!ca) note(problemOf(() => requireAuthority(ctx, item.issuerSha256)));
  else if (ca.kind !== 'issuing')
    note(
      new CertdeskError('VALIDATION', `"${ca.name}" is a root CA; client certificates are signed by an issuing CA.`, {
        field: 'issuerSha256',
      }),
    );
  else if (ca.keyId === null)
    note(
      new CertdeskError('NO_PRIVATE_KEY', `This workstation holds no key for "${ca.name}": it cannot sign under it.`, {
        field: 'issuerSha256',
      }),
    );

  let profile: Profile | undefined;
  const profileProblem = problemOf(() => (profile = findProfile(item.profile)));
  details.profile = profile ? profile.name : `unknown profile "${item.profile}"`;
  note(profileProblem);
  const now = ctx.clock.now();
  details.validity = `${item.validityDays} days, until ${new Date(now.getTime() + item.validityDays * DAY).toISOString()}`;
  if (profile) {
    const p = profile;
    note(problemOf(() => checkDays(p, item.validityDays)));
    if (csr) note(problemOf(() => checkKeyType(p, csr.keyType, 'csrPem')));
    if (csr)
      csr.sans.forEach((san, i) => {
        if (!p.sanTypes.includes(san.type))
          note(new CertdeskError('VALIDATION', `Profile ${p.name} does not allow ${san.type} SANs.`, { field: `csrPem.sans.${i}` }));
      });
  }
  if (ca && now.getTime() + item.validityDays * DAY > new Date(ca.notAfter).getTime())
    note(
      new CertdeskError(
        'VALIDITY_OUT_OF_RANGE',
        `${item.validityDays} days would outlive the issuing CA "${ca.name}" (expires ${ca.notAfter}); ask for at most ${Math.max(0, Math.floor((new Date(ca.notAfter).getTime() - now.getTime()) / DAY))} days.`,
        { field: 'validityDays' },
      ),
    );

  let predecessor: CertificateRow | undefined;
  if (item.purpose === 'issue') {
    details.predecessor = 'none (a new certificate)';
    if (item.predecessorSerial)
      note(
        new CertdeskError('VALIDATION', 'An issue request names no predecessor; use purpose renew or rotate.', {
          field: 'predecessorSerial',
        }),
      );
  } else {
    predecessor = ca && item.predecessorSerial ? certificateUnder(ctx, ca.id, item.predecessorSerial) : undefined;
    details.predecessor = predecessor
      ? `${predecessor.commonName ?? predecessor.subject} (serial ${predecessor.serialHex}, until ${predecessor.notAfter})`
      : `unknown (${item.predecessorSerial ?? 'none given'})`;
    if (!predecessor)
      note(
        new CertdeskError(
          'PREDECESSOR_UNKNOWN',
          `A ${item.purpose} request must name a certificate this signer issued under the same CA; serial ${item.predecessorSerial ?? '(none)'} is not one.`,
          { field: 'predecessorSerial' },
        ),
      );
    else {
      if (predecessor.revokedAt)
        note(
          new CertdeskError('CERT_REVOKED', `The predecessor was revoked on ${predecessor.revokedAt}; issue a new certificate instead.`, {
            field: 'predecessorSerial',
          }),
        );
      if (predecessor.profile && profile && predecessor.profile !== profile.name)
        note(
          new CertdeskError('VALIDATION', `The predecessor is a ${predecessor.profile} certificate; a successor keeps its profile.`, {
            field: 'profile',
          }),
        );
      const old = new x509.X509Certificate(predecessor.certDer);
      if (csr && nameText(csr.subject) !== nameText(old.subjectName))
        note(
          new CertdeskError(
            'CSR_SUBJECT_MISMATCH',
            `The CSR asks for "${nameText(csr.subject)}", not the predecessor's "${nameText(old.subjectName)}".`,
            {
              field: 'csrPem',
            },
          ),
        );
      const spki = (key: x509.PublicKey) => thumbprints(new Uint8Array(key.rawData)).sha256Hex;
      const kept = csr !== null && spki(csr.request.publicKey) === spki(old.publicKey);
      if (csr && item.sameKey && !kept)
        note(
          new CertdeskError(
            'CSR_KEY_NOT_KEPT',
            "A same-key renewal's CSR must carry the predecessor's key, and this one carries another: send it as a renewal with a new key instead.",
            { field: 'csrPem' },
          ),
        );
      if (kept && !item.sameKey)
        note(
          new CertdeskError('CSR_KEY_REUSED', "The CSR carries the predecessor's key: a successor needs a new key.", { field: 'csrPem' }),
        );
    }
  }
  // The DN must not already identify another lineage (see SubjectConflicts): a successor may share its predecessor's.
  if (csr && ca && item.purpose === 'issue') note(problemOf(() => new SubjectConflicts(ctx.db).check(csr.subject, ca.id, now, 'csr')));
  if (csr && ca && predecessor) note(problemOf(() => new SubjectConflicts(ctx.db).check(csr.subject, ca.id, now, 'csr', predecessor!.id)));
  details.keyHolder = keyHolderText(item);
  if (item.purpose === 'issue' && item.sameKey)
    note(new CertdeskError('VALIDATION', 'An issue request has no predecessor whose key it could keep.', { field: 'sameKey' }));
  if (item.rotationJobId) details.rotationJob = item.rotationJobId;
  details.note = item.note;
  if (problems.length > 0) details.problems = problems.map((p) => `${p.code}: ${p.message}`).join(' | ');
  return { details, problems, csr, ca, predecessor };
}

function toReview(item: SignRequestItem, j: Judgement): ItemReview {
  const who = j.details.subject ?? 'an unreadable CSR';
  const verb = item.purpose === 'issue' ? 'Sign' : item.purpose === 'renew' ? 'Renew' : 'Rotate';
  const key = item.sameKey ? ", keeping the predecessor's key" : item.keyHolder === 'workload' ? ', key held by the workload' : '';
  const first = j.problems[0];
  return {
    effect: `${verb} ${who} under ${j.ca?.name ?? 'an unknown CA'}, profile ${item.profile}, ${item.validityDays} days${key}`,
    details: j.details,
    problem: first ? { code: first.code, reason: first.message } : null,
  };
}

/** The issuing chain without the root, the leaf's issuer first (as the item carries it). */
function chainWithoutRoot(parts: OfflineParts, detail: CertificateDetail): string[] {
  const chain = parts.inventory.chainPems(detail.authorityId);
  return chain.length > 1 ? chain.slice(0, -1) : chain;
}

/** The signer's answer to a sign-request: the certificate, signed through the desk's own CSR issuance. */
export function signRequestApplier(parts: OfflineParts): ItemApplier<SignRequestItem> {
  return {
    kind: 'sign-request',
    async review(item) {
      return toReview(item, await judge(parts, item));
    },
    async apply(item, origin): Promise<TransferItem[]> {
      const j = await judge(parts, item);
      const first = j.problems[0];
      if (first) throw first;
      const ca = j.ca!;
      // The operator read the CSR's subject at review and approved it: that is the confirmation useCsrSubject asks for.
      const detail =
        item.purpose === 'issue'
          ? await parts.issuance.issue({
              ca: ca.id,
              profile: item.profile,
              days: item.validityDays,
              source: { kind: 'csr', csr: item.csrPem, useCsrSubject: true },
            })
          : await parts.issuance.renewFromCsr(j.predecessor!.id, item.csrPem, item.validityDays, { sameKey: item.sameKey === true });
      parts.ctx.audit.append('offline.sign', detail.id, {
        requestId: item.requestId,
        purpose: item.purpose,
        serial: detail.serialHex,
        importId: origin.importId,
        itemId: origin.itemId,
      });
      return [
        { kind: 'issued-certificate', requestId: item.requestId, certificatePem: detail.pem, chainPem: chainWithoutRoot(parts, detail) },
      ];
    },
  };
}
