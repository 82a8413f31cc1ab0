/**
 * Strict schemas for everything that crosses the air gap: each item kind of the contract, the signed
 * manifest, and the pairing file. An importer parses every byte it was handed through these before it
 * stores anything; an unknown field, a missing one or a value out of bounds is refused by name.
 */
import { z } from 'zod';
import {
  ERROR_CODES,
  REVOCATION_REASONS,
  TO_PUBLISHER_KINDS,
  TO_SIGNER_KINDS,
  TRANSFER_DIRECTIONS,
  TRANSFER_FORMAT,
  type TransferItem,
  type TransferItemKind,
  type TransferManifest,
} from '../../../shared/contract/index.ts';
import { TRANSFER_LIMITS } from './limits.ts';

/** Printable text; a note or a reason may hold line breaks and tabs, nothing else below U+0020. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const CONTROL_BUT_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const note = (field: string, max = 2000) =>
  z
    .string()
    .max(max, { error: `${field} is longer than ${max} characters` })
    .refine((v) => !CONTROL_BUT_LINES.test(v), { error: `${field} holds control characters` });
const id = (field: string) =>
  z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/, { error: `${field} must be 1 to 100 letters, digits, _ . : -` });
const sha256Hex = (field: string) => z.string().regex(/^[0-9a-f]{64}$/, { error: `${field} must be 64 lower-case hex digits` });
const serialHex = (field: string) => z.string().regex(/^[0-9a-f]{1,40}$/, { error: `${field} must be 1 to 40 lower-case hex digits` });
const isoTime = (field: string) => z.iso.datetime({ error: `${field} must be an ISO 8601 time (UTC, with Z)` });
const pemBlock = (field: string, label: RegExp, max: number) =>
  z
    .string()
    .max(max, { error: `${field} is larger than ${max} bytes` })
    .refine((v) => label.test(v), { error: `${field} must be one PEM block of the expected type` });
const CSR_PEM = /^-----BEGIN (NEW )?CERTIFICATE REQUEST-----\r?\n[A-Za-z0-9+/=\r\n]+-----END (NEW )?CERTIFICATE REQUEST-----\r?\n?$/;
const CERT_PEM = /^-----BEGIN CERTIFICATE-----\r?\n[A-Za-z0-9+/=\r\n]+-----END CERTIFICATE-----\r?\n?$/;
const CRL_PEM = /^-----BEGIN X509 CRL-----\r?\n[A-Za-z0-9+/=\r\n]+-----END X509 CRL-----\r?\n?$/;
const PEM_MAX = 64 * 1024;

const signRequest = z.strictObject({
  kind: z.literal('sign-request'),
  requestId: id('requestId'),
  purpose: z.enum(['issue', 'renew', 'rotate']),
  csrPem: pemBlock('csrPem', CSR_PEM, PEM_MAX),
  issuerSha256: sha256Hex('issuerSha256'),
  profile: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, { error: 'profile must be a profile name such as mtls-client' }),
  validityDays: z.int().min(1).max(3650),
  predecessorSerial: serialHex('predecessorSerial').nullable(),
  rotationJobId: id('rotationJobId').nullable(),
  note: note('note'),
  keyHolder: z.enum(['publisher', 'workload']).optional(),
  sameKey: z.boolean().optional(),
});

const revokeRequest = z.strictObject({
  kind: z.literal('revoke-request'),
  requestId: id('requestId'),
  issuerSha256: sha256Hex('issuerSha256'),
  serial: serialHex('serial'),
  reason: z.enum(REVOCATION_REASONS),
  note: note('note'),
});

const crlRequest = z.strictObject({
  kind: z.literal('crl-request'),
  requestId: id('requestId'),
  issuerSha256: sha256Hex('issuerSha256'),
  from: isoTime('from').nullable(),
  count: z.int().min(1).max(366),
  periodHours: z
    .int()
    .min(1)
    .max(24 * 366),
  note: note('note'),
});

const issuedCertificate = z.strictObject({
  kind: z.literal('issued-certificate'),
  requestId: id('requestId'),
  certificatePem: pemBlock('certificatePem', CERT_PEM, PEM_MAX),
  chainPem: z.array(pemBlock('chainPem', CERT_PEM, PEM_MAX)).max(8),
});

const caCertificate = z.strictObject({
  kind: z.literal('ca-certificate'),
  certificatePem: pemBlock('certificatePem', CERT_PEM, PEM_MAX),
});

const crl = z.strictObject({
  kind: z.literal('crl'),
  requestId: id('requestId').nullable(),
  issuerSha256: sha256Hex('issuerSha256'),
  crlPem: pemBlock('crlPem', CRL_PEM, TRANSFER_LIMITS.itemBytes - 4096),
  thisUpdate: isoTime('thisUpdate'),
  nextUpdate: isoTime('nextUpdate'),
  crlNumber: z.string().regex(/^[0-9]{1,49}$/, { error: 'crlNumber must be a decimal number' }),
});

const refusal = z.strictObject({
  kind: z.literal('refusal'),
  requestId: id('requestId'),
  code: z.string().refine((c) => Object.hasOwn(ERROR_CODES, c), { error: "code must be an error code of certdesk's table" }),
  reason: note('reason').min(1),
});

const auditEntry = z.strictObject({
  seq: z.int().min(1),
  at: isoTime('at'),
  actor: z.string().min(1).max(300),
  action: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/),
  subjectId: z.string().max(200).nullable(),
  details: z.record(z.string(), z.unknown()),
  hash: sha256Hex('hash'),
});

const auditEntries = z
  .strictObject({
    kind: z.literal('audit-entries'),
    fromSeq: z.int().min(1),
    toSeq: z.int().min(1),
    previousHash: z.union([z.literal(''), sha256Hex('previousHash')]),
    entries: z.array(auditEntry).min(1).max(TRANSFER_LIMITS.auditEntriesPerItem),
  })
  .refine((a) => a.entries.every((e, i) => e.seq === a.fromSeq + i) && a.entries.at(-1)?.seq === a.toSeq, {
    error: 'entries must run from fromSeq to toSeq without a gap',
  })
  .refine((a) => (a.fromSeq === 1) === (a.previousHash === ''), { error: 'previousHash is empty exactly when the entries start at 1' });

const ITEM_SCHEMAS = {
  'sign-request': signRequest,
  'revoke-request': revokeRequest,
  'crl-request': crlRequest,
  'issued-certificate': issuedCertificate,
  'ca-certificate': caCertificate,
  crl,
  refusal,
  'audit-entries': auditEntries,
} as const satisfies Record<TransferItemKind, z.ZodType>;

export const ITEM_KINDS = Object.keys(ITEM_SCHEMAS) as TransferItemKind[];

/** Parses one item as the kind the manifest declares; the first problem, with its path, when it is not. */
export function parseItem(kind: TransferItemKind, value: unknown): { ok: true; item: TransferItem } | { ok: false; problem: string } {
  const result = ITEM_SCHEMAS[kind].safeParse(value);
  if (result.success) return { ok: true, item: result.data as TransferItem };
  const issue = result.error.issues[0];
  return { ok: false, problem: `${issue?.path.join('.') || 'item'}: ${issue?.message ?? 'invalid'}` };
}

/** Which kinds may travel in a direction: a request never goes to the publisher, an answer never to the signer. */
export function kindsFor(direction: TransferManifest['direction']): readonly TransferItemKind[] {
  return direction === 'to-signer' ? TO_SIGNER_KINDS : TO_PUBLISHER_KINDS;
}

export const FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}$/;

export const manifestSchema = z.strictObject({
  format: z.literal(TRANSFER_FORMAT),
  direction: z.enum(TRANSFER_DIRECTIONS),
  sequence: z.int().min(1).max(Number.MAX_SAFE_INTEGER),
  createdAt: isoTime('createdAt'),
  creator: z.strictObject({
    role: z.enum(['signer', 'publisher']),
    keyFingerprint: z.string().regex(FINGERPRINT),
    actor: z.string().min(1).max(300),
  }),
  recipientFingerprint: z.string().regex(FINGERPRINT),
  items: z.array(
    z.strictObject({
      id: z.string().regex(/^[a-z0-9_-]{1,40}$/),
      kind: z.enum(ITEM_KINDS as [TransferItemKind, ...TransferItemKind[]]),
      sha256: sha256Hex('sha256'),
      bytes: z.int().min(1),
    }),
  ),
}) satisfies z.ZodType<TransferManifest>;

/** The envelope: the compact JWS over the manifest, and the items' bytes (base64) beside it. */
export const envelopeSchema = z.strictObject({
  format: z.literal(TRANSFER_FORMAT),
  manifest: z.string().min(1).max(TRANSFER_LIMITS.manifestChars),
  items: z.array(z.strictObject({ id: z.string().max(40), data: z.string() })),
});

/** The public pairing file one side gives the other. */
export const PAIRING_FORMAT = 'certdesk-pairing/1';
export const pairingFileSchema = z.strictObject({
  format: z.literal(PAIRING_FORMAT),
  role: z.enum(['signer', 'publisher']),
  publicJwk: z.strictObject({ kty: z.literal('OKP'), crv: z.literal('Ed25519'), x: z.string().regex(/^[A-Za-z0-9_-]{43}$/) }),
  fingerprint: z.string().regex(FINGERPRINT),
  actor: z.string().min(1).max(300),
  createdAt: isoTime('createdAt'),
});
export type PairingFile = z.infer<typeof pairingFileSchema>;
