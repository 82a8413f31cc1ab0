/**
 * The one contract between the renderer and main (Electron IPC and the web-mode bridge alike).
 * Types only, plus the channel list the preload and the web bridge derive their API from.
 * Adding a channel means editing `Channels` here, its zod schema in `src/main/schemas.ts` and
 * its handler in `src/main/handlers.ts`; the type check fails while any of the three is missing.
 */

export const KEY_TYPES = ['ec-p256', 'ec-p384', 'rsa-2048', 'rsa-3072', 'rsa-4096'] as const;
export type KeyType = (typeof KEY_TYPES)[number];

/** Key types an authority may use: RSA-2048 is allowed for leaves, not for a CA that outlives them. */
export const CA_KEY_TYPES = ['ec-p256', 'ec-p384', 'rsa-3072', 'rsa-4096'] as const;
export type CaKeyType = (typeof CA_KEY_TYPES)[number];

export type ErrorCode =
  | 'VALIDATION'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'UNKNOWN_CHANNEL'
  | 'KEY_TYPE_UNSUPPORTED'
  | 'VALIDITY_OUT_OF_RANGE'
  | 'KEYCHAIN_UNAVAILABLE'
  | 'KEYCHAIN_LOCKED'
  | 'KEYCHAIN_KEY_MISSING'
  | 'VAULT_NOT_INITIALIZED'
  | 'VAULT_LOCKED'
  | 'VAULT_ALREADY_INITIALIZED'
  | 'PASSPHRASE_WRONG'
  | 'PASSPHRASE_TOO_SHORT'
  | 'KEY_UNSEAL_FAILED'
  | 'DATABASE_FROM_NEWER_VERSION'
  | 'DATABASE_BUSY'
  | 'FORBIDDEN'
  | 'INTERNAL';

export interface Failure {
  code: ErrorCode;
  /** A sentence for a person: what is wrong and how to fix it. */
  message: string;
  /** The input field at fault, as the caller named it (`years`, `parent`, `keyType`…). */
  field?: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: Failure };

export type KeyProtection = 'keychain' | 'passphrase';

export interface VaultStatus {
  /** `null` until the first key is sealed or the operator chooses a protection explicitly. */
  protection: KeyProtection | null;
  state: 'uninitialized' | 'ready' | 'locked';
  /** Where the data-encryption key lives, in words (`Secret Service (login keyring)`, `passphrase (scrypt)`). */
  detail: string;
}

export interface AppInfo {
  version: string;
  mode: 'electron' | 'web' | 'cli';
  dataDir: string;
  databaseFile: string;
  schemaVersion: number;
  vault: VaultStatus;
}

export type AuthorityKind = 'root' | 'issuing';

export interface AuthorityView {
  id: string;
  name: string;
  kind: AuthorityKind;
  parentId: string | null;
  /** RFC 4514 form, most specific first: `CN=Acme Root CA,O=Acme`. */
  subject: string;
  /** Certificate order, one attribute a line: the form Auth0 and Node's X509Certificate print. */
  subjectLines: string;
  issuer: string;
  serialHex: string;
  notBefore: string;
  notAfter: string;
  keyType: KeyType;
  pathLength: number | null;
  sha256Hex: string;
  /** base64url of the SHA-256 of the DER: the `x5t#S256` form. */
  sha256Base64url: string;
  sha1Hex: string;
  pem: string;
  createdAt: string;
}

export interface CreateAuthorityInput {
  /** Becomes the subject CN. */
  name: string;
  organization?: string;
  /** Two-letter ISO 3166 country code. */
  country?: string;
  keyType?: CaKeyType;
  /** Whole years; the default is 10 for a root and 5 for an issuing CA, capped to the parent. */
  years?: number;
  /** Id or name of the parent authority; without it a self-signed root is made. */
  parent?: string;
  /** Correlates `progress` events with this call. */
  progressId?: string;
}

export interface VaultInitInput {
  protection: KeyProtection;
  passphrase?: string;
}

export interface VaultUnlockInput {
  passphrase: string;
}

export type Empty = Record<string, never>;

/** Every channel: `domain:verb` → input and output. */
export interface Channels {
  'app:info': { input: Empty; output: AppInfo };
  'vault:init': { input: VaultInitInput; output: VaultStatus };
  'vault:unlock': { input: VaultUnlockInput; output: VaultStatus };
  'ca:list': { input: Empty; output: AuthorityView[] };
  'ca:create': { input: CreateAuthorityInput; output: AuthorityView };
}

export type Channel = keyof Channels;
export type ChannelInput<C extends Channel> = Channels[C]['input'];
export type ChannelOutput<C extends Channel> = Channels[C]['output'];

/** Runtime list of channels; the `satisfies` line makes it fail to compile when it and `Channels` differ. */
export const CHANNELS = ['app:info', 'vault:init', 'vault:unlock', 'ca:list', 'ca:create'] as const satisfies readonly Channel[];
type Missing = Exclude<Channel, (typeof CHANNELS)[number]>;
export const CHANNELS_COMPLETE: Missing extends never ? true : Missing = true;

/** Events main sends to the renderer. */
export type CertdeskEvent = {
  type: 'progress';
  progressId: string;
  step: number;
  total: number;
  label: string;
};

/** What `window.certdesk` is, in Electron (preload) and in web mode (HTTP bridge). */
export interface CertdeskApi {
  invoke<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<Result<ChannelOutput<C>>>;
  onEvent(listener: (event: CertdeskEvent) => void): () => void;
}

/** The IPC channel main uses for `CertdeskEvent`s. */
export const EVENT_CHANNEL = 'certdesk:event';
