/**
 * The `.cdx` bundle (docs/transfer-bundles.md): a JSON envelope holding a compact JWS (EdDSA, Ed25519)
 * over the manifest, and the items' bytes beside it, each bound to the signature by its SHA-256 and
 * size in the manifest. `verifyBundle` runs every check of the importer, in the documented order,
 * and throws the first failure's named error; it reads and changes nothing.
 */
import { createHash, type KeyObject } from 'node:crypto';
import { CompactSign, compactVerify, decodeProtectedHeader } from 'jose';
import {
  TRANSFER_FORMAT,
  type TransferDirection,
  type TransferItem,
  type TransferManifest,
  type TransferManifestEntry,
} from '../../../shared/contract/index.ts';
import { CertdeskError } from '../errors.ts';
import { publicKeyOf } from './identity.ts';
import { TRANSFER_LIMITS } from './limits.ts';
import type { Pairing } from './pairing-store.ts';
import { FINGERPRINT, envelopeSchema, kindsFor, manifestSchema, parseItem } from './schemas.ts';

export const JWS_TYPE = 'certdesk-transfer+jws';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export interface OutgoingItem {
  id: string;
  item: TransferItem;
}

/** Signs a manifest over `items` and returns the file's bytes. */
export async function encodeBundle(
  header: Omit<TransferManifest, 'format' | 'items'>,
  items: OutgoingItem[],
  key: KeyObject,
): Promise<{ bytes: Buffer; manifest: TransferManifest; sha256: string }> {
  const carried = items.map(({ id, item }) => ({ id, kind: item.kind, bytes: Buffer.from(JSON.stringify(item), 'utf8') }));
  const manifest: TransferManifest = {
    format: TRANSFER_FORMAT,
    ...header,
    items: carried.map((c) => ({ id: c.id, kind: c.kind, sha256: sha256(c.bytes), bytes: c.bytes.length })),
  };
  const jws = await new CompactSign(Buffer.from(JSON.stringify(manifest), 'utf8'))
    .setProtectedHeader({ alg: 'EdDSA', typ: JWS_TYPE, kid: header.creator.keyFingerprint })
    .sign(key);
  const envelope = { format: TRANSFER_FORMAT, manifest: jws, items: carried.map((c) => ({ id: c.id, data: c.bytes.toString('base64') })) };
  const bytes = Buffer.from(`${JSON.stringify(envelope)}\n`, 'utf8');
  return { bytes, manifest, sha256: sha256(bytes) };
}

/** What the importer knows before it looks at a bundle. */
export interface VerifyContext {
  /** The active pairing, or null (then every bundle is TRANSFER_UNPAIRED). */
  pairing: Pairing | null;
  ownFingerprint: string;
  /** The direction this folder's role imports: a signer takes `to-signer`, a publisher `to-publisher`. */
  expects: TransferDirection;
}

export interface VerifiedBundle {
  manifest: TransferManifest;
  items: Array<{ entry: TransferManifestEntry; item: TransferItem }>;
  sha256: string;
}

const refuse = (code: ConstructorParameters<typeof CertdeskError>[0], message: string): never => {
  throw new CertdeskError(code, `${message} The bundle was refused; nothing was stored.`, { field: 'file' });
};

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
/** The base64 length of the largest item: a longer string is refused before it is decoded. */
const MAX_ITEM_BASE64 = Math.ceil(TRANSFER_LIMITS.itemBytes / 3) * 4;

function parseJson(bytes: Uint8Array | string): unknown {
  try {
    return JSON.parse(typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('utf8'));
  } catch {
    return undefined;
  }
}

function issue(error: { issues: Array<{ path: PropertyKey[]; message: string }> }): string {
  const first = error.issues[0];
  return `${first?.path.map(String).join('.') || 'top level'}: ${first?.message ?? 'invalid'}`;
}

/** Sizes first: the envelope's item count and each carried item's length, before anything is decoded. */
function envelopeOf(bytes: Uint8Array) {
  if (bytes.length > TRANSFER_LIMITS.bundleBytes)
    refuse('TRANSFER_TOO_LARGE', `The bundle is ${bytes.length} bytes; at most ${TRANSFER_LIMITS.bundleBytes} are accepted.`);
  const raw = parseJson(bytes) as { items?: unknown } | undefined;
  if (raw && Array.isArray(raw.items)) {
    if (raw.items.length > TRANSFER_LIMITS.items)
      refuse('TRANSFER_TOO_LARGE', `The bundle carries ${raw.items.length} items; at most ${TRANSFER_LIMITS.items} are accepted.`);
    for (const item of raw.items as Array<{ data?: unknown }>)
      if (typeof item?.data === 'string' && item.data.length > MAX_ITEM_BASE64)
        refuse('TRANSFER_TOO_LARGE', `An item is larger than ${TRANSFER_LIMITS.itemBytes} bytes, the most one item may be.`);
  }
  const envelope = envelopeSchema.safeParse(raw);
  if (!envelope.success)
    refuse('TRANSFER_FORMAT', `This is not a certdesk transfer bundle (${TRANSFER_FORMAT}): ${issue(envelope.error)}.`);
  return envelope.data!;
}

async function signedManifest(jws: string, context: VerifyContext): Promise<TransferManifest> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(jws);
  } catch {
    return refuse('TRANSFER_FORMAT', 'The manifest is not a compact JWS.');
  }
  if (header.alg !== 'EdDSA' || header.typ !== JWS_TYPE || typeof header.kid !== 'string' || !FINGERPRINT.test(header.kid))
    refuse('TRANSFER_FORMAT', `The manifest's JWS header must be alg EdDSA, typ ${JWS_TYPE} and kid the signer's fingerprint.`);
  const pairing = context.pairing;
  if (!pairing)
    return refuse(
      'TRANSFER_UNPAIRED',
      'This folder is not paired with anyone: pair first (certdesk pair import FILE --confirm FINGERPRINT).',
    );
  if (header.kid !== pairing.peerFingerprint)
    refuse(
      'TRANSFER_UNPAIRED',
      `The bundle was made by the transfer key ${String(header.kid)}, not by the paired ${pairing.peerRole} ${pairing.peerFingerprint}.`,
    );
  let payload: Uint8Array;
  try {
    ({ payload } = await compactVerify(jws, publicKeyOf(pairing.peerPublicJwk), { algorithms: ['EdDSA'] }));
  } catch {
    return refuse('TRANSFER_SIGNATURE', `The manifest's signature is not the paired ${pairing.peerRole}'s (${pairing.peerFingerprint}).`);
  }
  const raw = parseJson(payload) as { items?: unknown } | undefined;
  if (raw && Array.isArray(raw.items)) {
    if (raw.items.length > TRANSFER_LIMITS.items)
      refuse('TRANSFER_TOO_LARGE', `The manifest lists ${raw.items.length} items; at most ${TRANSFER_LIMITS.items} are accepted.`);
    if ((raw.items as Array<{ bytes?: unknown }>).some((e) => typeof e?.bytes === 'number' && e.bytes > TRANSFER_LIMITS.itemBytes))
      refuse('TRANSFER_TOO_LARGE', `The manifest declares an item larger than ${TRANSFER_LIMITS.itemBytes} bytes.`);
  }
  const manifest = manifestSchema.safeParse(raw);
  if (!manifest.success) return refuse('TRANSFER_FORMAT', `The signed manifest is not valid: ${issue(manifest.error)}.`);
  return manifest.data;
}

/** Every check of docs/transfer-bundles.md § "What the importer checks", in that order. */
export async function verifyBundle(bytes: Uint8Array, context: VerifyContext): Promise<VerifiedBundle> {
  const envelope = envelopeOf(bytes);
  const manifest = await signedManifest(envelope.manifest, context);
  const pairing = context.pairing!;
  if (manifest.creator.keyFingerprint !== pairing.peerFingerprint || manifest.creator.role !== pairing.peerRole)
    refuse(
      'TRANSFER_UNPAIRED',
      `The manifest names its creator ${manifest.creator.role} ${manifest.creator.keyFingerprint}, not the paired peer.`,
    );
  if (manifest.recipientFingerprint !== context.ownFingerprint)
    refuse('TRANSFER_RECIPIENT', `The bundle is for ${manifest.recipientFingerprint}, not for this folder (${context.ownFingerprint}).`);
  if (manifest.direction !== context.expects)
    refuse('TRANSFER_DIRECTION', `The bundle travels ${manifest.direction}, but this folder imports only ${context.expects} bundles.`);
  const allowed = kindsFor(manifest.direction);
  const stray = manifest.items.find((e) => !allowed.includes(e.kind));
  if (stray) refuse('TRANSFER_DIRECTION', `Item ${stray.id} is a ${stray.kind}, which never travels ${manifest.direction}.`);
  if (manifest.sequence <= pairing.lastAcceptedSeq)
    refuse(
      'TRANSFER_REPLAY',
      `The bundle's sequence is ${manifest.sequence}, but ${pairing.lastAcceptedSeq} was already accepted: it is a replay or came out of order.`,
    );
  const ids = new Set(manifest.items.map((e) => e.id));
  if (ids.size !== manifest.items.length) refuse('TRANSFER_FORMAT', 'The manifest lists an item id twice.');
  const carried = new Map<string, string>();
  for (const c of envelope.items) {
    if (carried.has(c.id)) refuse('TRANSFER_FORMAT', `The bundle carries item ${c.id} twice.`);
    carried.set(c.id, c.data);
  }
  const missing = manifest.items.filter((e) => !carried.has(e.id));
  if (missing.length > 0)
    refuse(
      'TRANSFER_TRUNCATED',
      `The manifest lists ${missing.length} item(s) the bundle does not carry (${missing.map((e) => e.id).join(', ')}).`,
    );
  const extra = [...carried.keys()].filter((id) => !ids.has(id));
  if (extra.length > 0) refuse('TRANSFER_TAMPERED', `The bundle carries item(s) its signed manifest does not list (${extra.join(', ')}).`);
  const items: VerifiedBundle['items'] = [];
  for (const entry of manifest.items) {
    const data = carried.get(entry.id)!;
    if (!BASE64.test(data) || data.length % 4 !== 0) refuse('TRANSFER_FORMAT', `Item ${entry.id} is not base64.`);
    const body = Buffer.from(data, 'base64');
    if (body.length !== entry.bytes || sha256(body) !== entry.sha256)
      refuse('TRANSFER_TAMPERED', `Item ${entry.id} is not the one the manifest signed (its size or SHA-256 differs).`);
    const parsed = parseItem(entry.kind, parseJson(body));
    if (!parsed.ok) return refuse('TRANSFER_ITEM_INVALID', `Item ${entry.id} is not a valid ${entry.kind}: ${parsed.problem}.`);
    items.push({ entry, item: parsed.item });
  }
  return { manifest, items, sha256: sha256(bytes) };
}
